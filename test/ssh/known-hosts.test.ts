import { describe, expect, it } from 'vitest';
import {
  checkHostKey,
  entryMatchesHost,
  formatKnownHostsLine,
  knownHostsName,
  knownKeyTypes,
  parseKnownHosts,
  type KnownHostEntry,
} from '../../src/ssh/known-hosts.js';
import { hashedHostName } from '../helpers/known-hosts-lines.js';
import { generateTestKey } from '../helpers/ssh-keys.js';

// Real public keys, so blobs carry real type prefixes.
const ed1 = generateTestKey('ed25519').publicKey;
const ed2 = generateTestKey('ed25519').publicKey;
const ecdsa = generateTestKey('ecdsa').publicKey;
const rsa = generateTestKey('rsa').publicKey;

function blob(publicKey: string): Buffer {
  return Buffer.from(publicKey.split(' ')[1] ?? '', 'base64');
}

function parse(...lines: string[]): KnownHostEntry[] {
  return parseKnownHosts(lines.join('\n'), 'known_hosts');
}

function statusFor(entries: KnownHostEntry[], name: string, key: string): string {
  return checkHostKey(entries, name, blob(key)).status;
}

describe('knownHostsName', () => {
  it('uses the bare address on port 22 and [address]:port otherwise, lower-cased', () => {
    expect(knownHostsName('Web1.Example.COM', 22)).toBe('web1.example.com');
    expect(knownHostsName('10.0.0.5', 2222)).toBe('[10.0.0.5]:2222');
    expect(knownHostsName('::1', 2222)).toBe('[::1]:2222');
  });
});

describe('parseKnownHosts', () => {
  it('skips comments, blank lines, @cert-authority, unknown markers and malformed lines', () => {
    const entries = parse(
      '# a comment',
      '',
      '   ',
      `@cert-authority *.example.com ${ed1}`,
      `@frobnicate example.com ${ed1}`,
      'example.com ssh-ed25519',
      'example.com ssh-ed25519 !!!not-base64!!!',
      `example.com ssh-rsa ${ed1.split(' ')[1] ?? ''}`, // type field disagrees with the key blob
      `  example.com ${ed1} a comment with spaces`,
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ source: 'known_hosts:9', revoked: false, keyType: 'ssh-ed25519' });
  });

  it('accepts tabs between fields and CRLF line ends', () => {
    const entries = parseKnownHosts(`example.com\t${ed1.replace(' ', '\t')}\r\nother.com ${ed2}\r\n`, 'f');
    expect(entries.map((entry) => entry.source)).toEqual(['f:1', 'f:2']);
  });
});

describe('checkHostKey', () => {
  it('matches a plain entry, reports mismatch for another key and unknown for another host', () => {
    const entries = parse(`example.com ${ed1}`);
    expect(statusFor(entries, 'example.com', ed1)).toBe('match');
    expect(statusFor(entries, 'example.com', ed2)).toBe('mismatch');
    expect(statusFor(entries, 'other.example.com', ed1)).toBe('unknown');
  });

  it('matches any name of a comma-separated list, case-insensitively', () => {
    const entries = parse(`web1,10.0.0.5,DB.Example.com ${ed1}`);
    expect(statusFor(entries, 'web1', ed1)).toBe('match');
    expect(statusFor(entries, '10.0.0.5', ed1)).toBe('match');
    expect(statusFor(entries, knownHostsName('db.example.COM', 22), ed1)).toBe('match');
    expect(statusFor(entries, 'web', ed1)).toBe('unknown');
  });

  it('keeps [host]:port entries apart from port 22 entries', () => {
    const entries = parse(`[example.com]:2222 ${ed1}`, `example.com ${ed2}`);
    expect(statusFor(entries, knownHostsName('example.com', 2222), ed1)).toBe('match');
    expect(statusFor(entries, knownHostsName('example.com', 2222), ed2)).toBe('mismatch');
    expect(statusFor(entries, knownHostsName('example.com', 22), ed2)).toBe('match');
    expect(statusFor(entries, knownHostsName('example.com', 2200), ed1)).toBe('unknown');
  });

  it('supports * and ? wildcards, also inside [host]:port patterns', () => {
    const entries = parse(`*.example.com ${ed1}`, `web? ${ed2}`, `[*.lab]:22?? ${ecdsa}`);
    expect(statusFor(entries, 'a.example.com', ed1)).toBe('match');
    expect(statusFor(entries, 'a.b.example.com', ed1)).toBe('match');
    expect(statusFor(entries, 'example.com', ed1)).toBe('unknown');
    expect(statusFor(entries, 'web1', ed2)).toBe('match');
    expect(statusFor(entries, 'web10', ed2)).toBe('unknown');
    expect(statusFor(entries, '[db.lab]:2222', ecdsa)).toBe('match');
    expect(statusFor(entries, '[db.lab]:22', ecdsa)).toBe('unknown');
  });

  it('treats regex metacharacters in patterns literally', () => {
    const entries = parse(`a+b.example.com ${ed1}`);
    expect(statusFor(entries, 'a+b.example.com', ed1)).toBe('match');
    expect(statusFor(entries, 'aab.example.com', ed1)).toBe('unknown');
    expect(statusFor(entries, 'a+bxexample.com', ed1)).toBe('unknown');
  });

  it('lets a matching negated pattern veto the line', () => {
    const entries = parse(`*.example.com,!secret.example.com ${ed1}`, `!lonely ${ed2}`);
    expect(statusFor(entries, 'www.example.com', ed1)).toBe('match');
    expect(statusFor(entries, 'secret.example.com', ed1)).toBe('unknown');
    // A line with only a negated pattern matches nothing.
    expect(statusFor(entries, 'lonely', ed2)).toBe('unknown');
    expect(statusFor(entries, 'other', ed2)).toBe('unknown');
  });

  it('matches hashed |1| entries by HMAC-SHA1 of the lookup name', () => {
    const entries = parse(`${hashedHostName('example.com')} ${ed1}`, `${hashedHostName('[10.0.0.5]:2222')} ${rsa}`);
    expect(entries[0]?.hosts.kind).toBe('hashed');
    expect(statusFor(entries, 'example.com', ed1)).toBe('match');
    expect(statusFor(entries, 'example.com', ed2)).toBe('mismatch');
    expect(statusFor(entries, 'example.org', ed1)).toBe('unknown');
    expect(statusFor(entries, knownHostsName('10.0.0.5', 2222), rsa)).toBe('match');
    expect(statusFor(entries, knownHostsName('10.0.0.5', 22), rsa)).toBe('unknown');
  });

  it('refuses a key marked @revoked, even when it is also listed as known', () => {
    const entries = parse(`@revoked * ${ed1}`, `example.com ${ed1}`, `example.com ${ed2}`);
    const verdict = checkHostKey(entries, 'example.com', blob(ed1));
    expect(verdict).toMatchObject({ status: 'mismatch', revokedBy: { source: 'known_hosts:1' } });
    expect(statusFor(entries, 'example.com', ed2)).toBe('match');
  });

  it('does not count a @revoked line as knowing the host', () => {
    const entries = parse(`@revoked example.com ${ed1}`);
    expect(statusFor(entries, 'example.com', ed2)).toBe('unknown');
    expect(statusFor(entries, 'example.com', ed1)).toBe('mismatch');
  });

  it('names the known keys and their lines on a mismatch', () => {
    const entries = parse(`other ${ed2}`, `example.com ${ecdsa}`, `*.com ${rsa}`);
    const verdict = checkHostKey(entries, 'example.com', blob(ed1));
    expect(verdict.status).toBe('mismatch');
    if (verdict.status !== 'mismatch') return;
    expect(verdict.revokedBy).toBeNull();
    expect(verdict.known.map((entry) => entry.source)).toEqual(['known_hosts:2', 'known_hosts:3']);
  });

  it('accepts any one of several keys known for a host', () => {
    const entries = parse(`example.com ${ecdsa}`, `example.com ${rsa}`);
    expect(statusFor(entries, 'example.com', rsa)).toBe('match');
    expect(statusFor(entries, 'example.com', ecdsa)).toBe('match');
  });
});

describe('knownKeyTypes', () => {
  it('lists the types known for the host in file order, without duplicates or revoked keys', () => {
    const entries = parse(
      `example.com ${rsa}`,
      `*.org ${ed2}`,
      `@revoked example.com ${ed1}`,
      `${hashedHostName('example.com')} ${ecdsa}`,
      `example.com ${generateTestKey('rsa').publicKey}`,
    );
    expect(knownKeyTypes(entries, 'example.com')).toEqual(['ssh-rsa', 'ecdsa-sha2-nistp256']);
    expect(knownKeyTypes(entries, 'nowhere')).toEqual([]);
  });
});

describe('entryMatchesHost / formatKnownHostsLine', () => {
  it('round-trips a formatted line', () => {
    const line = formatKnownHostsLine('[127.0.0.1]:2222', blob(ed1));
    expect(line).toBe(`[127.0.0.1]:2222 ${ed1}`);
    const [entry] = parse(line);
    expect(entry && entryMatchesHost(entry, '[127.0.0.1]:2222')).toBe(true);
  });
});
