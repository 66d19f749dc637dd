// Building known_hosts content in tests: hashed names computed independently of the code
// under test (HMAC-SHA1 keyed by a random salt, as OpenSSH's HashKnownHosts writes them).
import { createHmac, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';

export function hashedHostName(name: string, salt: Buffer = randomBytes(20)): string {
  const hash = createHmac('sha1', salt).update(name).digest();
  return `|1|${salt.toString('base64')}|${hash.toString('base64')}`;
}

/** Write lines (each `hosts type base64` or a marker line) as a known_hosts file. */
export async function writeKnownHosts(file: string, lines: readonly string[]): Promise<void> {
  await writeFile(file, lines.map((line) => `${line}\n`).join(''));
}
