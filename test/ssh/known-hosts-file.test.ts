import { execFileSync } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkHostKey, knownHostsName } from '../../src/ssh/known-hosts.js';
import { appendKnownHost, readKnownHostsFiles } from '../../src/ssh/known-hosts-file.js';
import { writeKnownHosts } from '../helpers/known-hosts-lines.js';
import { generateTestKey } from '../helpers/ssh-keys.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';

const ed1 = generateTestKey('ed25519').publicKey;
const ed2 = generateTestKey('ed25519').publicKey;

function blob(publicKey: string): Buffer {
  return Buffer.from(publicKey.split(' ')[1] ?? '', 'base64');
}

function hasSshKeygen(): boolean {
  try {
    execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

let dir: TempDir;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await dir.remove();
});

describe('readKnownHostsFiles', () => {
  it('reads several files in order and treats missing ones as empty', async () => {
    await writeKnownHosts(dir.file('global'), [`example.com ${ed1}`]);
    await writeKnownHosts(dir.file('user'), [`example.com ${ed2}`]);
    const read = await readKnownHostsFiles([dir.file('missing'), dir.file('global'), dir.file('nodir', 'x'), dir.file('user')]);
    expect(read.unreadable).toEqual([]);
    expect(read.entries.map((entry) => entry.source)).toEqual([`${dir.file('global')}:1`, `${dir.file('user')}:1`]);
    expect(checkHostKey(read.entries, 'example.com', blob(ed2)).status).toBe('match');
  });

  it('reports a file that exists but cannot be read', async () => {
    await mkdir(dir.file('a-directory'));
    const read = await readKnownHostsFiles([dir.file('a-directory')]);
    expect(read.unreadable).toHaveLength(1);
    expect(read.unreadable[0]?.file).toBe(dir.file('a-directory'));
    expect(read.unreadable[0]?.message).toMatch(/EISDIR/);
  });
});

describe('appendKnownHost', () => {
  it('creates the directory (0700) and file (0600) and writes `name type base64`', async () => {
    const file = dir.file('new', '.ssh', 'known_hosts');
    await expect(appendKnownHost(file, '[127.0.0.1]:2222', blob(ed1))).resolves.toBe('added');
    expect(await readFile(file, 'utf8')).toBe(`[127.0.0.1]:2222 ${ed1}\n`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(dir.file('new', '.ssh'))).mode & 0o777).toBe(0o700);
  });

  it('starts a new line when the file does not end with one, and leaves existing lines alone', async () => {
    const file = dir.file('known_hosts');
    await writeFile(file, `# mine\nother ${ed2}`, { mode: 0o644 });
    await appendKnownHost(file, 'example.com', blob(ed1));
    expect(await readFile(file, 'utf8')).toBe(`# mine\nother ${ed2}\nexample.com ${ed1}\n`);
    expect((await stat(file)).mode & 0o777).toBe(0o644);
  });

  it('does not add a key that is already known for the name', async () => {
    const file = dir.file('known_hosts');
    await writeKnownHosts(file, [`*.example.com ${ed1}`]);
    await expect(appendKnownHost(file, 'www.example.com', blob(ed1))).resolves.toBe('present');
    expect(await readFile(file, 'utf8')).toBe(`*.example.com ${ed1}\n`);
  });

  it('serializes concurrent appends: whole lines, each host once', async () => {
    const file = dir.file('known_hosts');
    const keys = Array.from({ length: 25 }, () => blob(generateTestKey('ed25519').publicKey));
    const results = await Promise.all([
      ...keys.map((key, index) => appendKnownHost(file, knownHostsName('10.0.0.1', 2000 + index), key)),
      // The same new host reached by three parallel connections.
      ...[1, 2, 3].map(() => appendKnownHost(file, 'twice.example.com', blob(ed2))),
    ]);
    expect(results.filter((result) => result === 'added')).toHaveLength(26);
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(26);
    keys.forEach((key, index) => expect(lines).toContain(`[10.0.0.1]:${2000 + index} ssh-ed25519 ${key.toString('base64')}`));
    expect(lines.filter((line) => line.startsWith('twice.example.com '))).toHaveLength(1);
  });
});

describe.skipIf(!hasSshKeygen())('compatibility with OpenSSH ssh-keygen', () => {
  it('finds entries that ssh-keygen -H hashed', async () => {
    const file = dir.file('known_hosts');
    await writeKnownHosts(file, [`example.com ${ed1}`, `[10.1.2.3]:2222 ${ed2}`]);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('example.com');
    const { entries } = await readKnownHostsFiles([file]);
    expect(entries.every((entry) => entry.hosts.kind === 'hashed')).toBe(true);
    expect(checkHostKey(entries, 'example.com', blob(ed1)).status).toBe('match');
    expect(checkHostKey(entries, knownHostsName('10.1.2.3', 2222), blob(ed2)).status).toBe('match');
    expect(checkHostKey(entries, knownHostsName('10.1.2.3', 22), blob(ed2)).status).toBe('unknown');
  });

  it('writes lines that ssh-keygen -F finds under the same name', async () => {
    const file = dir.file('known_hosts');
    await appendKnownHost(file, knownHostsName('127.0.0.1', 2222), blob(ed1));
    const found = execFileSync('ssh-keygen', ['-F', '[127.0.0.1]:2222', '-f', file], { encoding: 'utf8' });
    expect(found).toContain(`[127.0.0.1]:2222 ${ed1}`);
  });
});
