import { describe, expect, it } from 'vitest';
import { KnownHostsIndex } from '../../src/ssh/known-hosts-index.js';
import { entryMatchesHost, parseKnownHosts } from '../../src/ssh/known-hosts.js';
import { hashedHostName } from '../helpers/known-hosts-lines.js';
import { generateTestKey } from '../helpers/ssh-keys.js';

const key1 = generateTestKey('ed25519').publicKey;
const key2 = generateTestKey('ed25519').publicKey;

describe('KnownHostsIndex', () => {
  it('finds exactly the entries a full scan finds, in file order', () => {
    const lines = [
      `web-1,web-2 ${key1}`,
      `*.example.com ${key2}`,
      `${hashedHostName('[10.0.0.5]:2222')} ${key1}`,
      `db-?,!db-9 ${key1}`,
      `@revoked web-2 ${key2}`,
      `WEB-1 ${key2}`,
      `web-1,web-1 ${key1}`,
      `[10.0.0.5]:2222 ${key2}`,
    ];
    const entries = parseKnownHosts(lines.join('\n'), 'known_hosts');
    const index = new KnownHostsIndex(entries);
    const names = ['web-1', 'web-2', 'a.example.com', '[10.0.0.5]:2222', 'db-1', 'db-9', 'nothing'];
    for (const name of names) {
      expect(index.entriesFor(name), name).toEqual(entries.filter((entry) => entryMatchesHost(entry, name)));
    }
    expect(index.entriesFor('web-1').map((e) => e.source)).toEqual(['known_hosts:1', 'known_hosts:6', 'known_hosts:7']);
  });

  it('answers a lookup among 5,000 literal lines without scanning them', () => {
    const text = Array.from({ length: 5_000 }, (_, i) => `[127.0.${i >> 8}.${i & 255}]:2222 ${key1}`).join('\n');
    const index = new KnownHostsIndex(parseKnownHosts(text, 'big'));
    for (let i = 0; i < 5_000; i += 1) expect(index.entriesFor(`[127.0.${i >> 8}.${i & 255}]:2222`)).toHaveLength(1);
  });
});
