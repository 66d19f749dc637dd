// Reading known_hosts files and appending newly accepted keys to them.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkHostKey, formatKnownHostsLine, parseKnownHosts, type KnownHostEntry } from './known-hosts.js';

export interface KnownHostsRead {
  entries: KnownHostEntry[];
  /** Files that exist but could not be read, with the error text. Missing files are not listed. */
  unreadable: { file: string; message: string }[];
}

/** Read and parse the files in order. A missing file is an empty one, as for OpenSSH. */
export async function readKnownHostsFiles(files: readonly string[]): Promise<KnownHostsRead> {
  const result: KnownHostsRead = { entries: [], unreadable: [] };
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      result.unreadable.push({ file, message: error instanceof Error ? error.message : String(error) });
      continue;
    }
    result.entries.push(...parseKnownHosts(text, file));
  }
  return result;
}

// Hosts are audited in parallel, and several may be new at once. Appends go through one queue
// so that lines never interleave, and each append re-reads the file so that two connections to
// the same new host add it once.
let appendQueue: Promise<unknown> = Promise.resolve();

/**
 * Append `name keytype base64` to `file` unless the key is already there. Creates the
 * directory (0700) and the file (0600) when missing, like ssh does for ~/.ssh/known_hosts.
 */
export function appendKnownHost(file: string, name: string, keyBlob: Buffer): Promise<'added' | 'present'> {
  const task = appendQueue.then(() => appendNow(file, name, keyBlob));
  appendQueue = task.catch(() => undefined);
  return task;
}

async function appendNow(file: string, name: string, keyBlob: Buffer): Promise<'added' | 'present'> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  let existing = '';
  try {
    existing = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (checkHostKey(parseKnownHosts(existing, file), name, keyBlob).status === 'match') return 'present';
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  // `mode` only applies when the file is created; an existing file keeps its permissions.
  await appendFile(file, `${separator}${formatKnownHostsLine(name, keyBlob)}\n`, { mode: 0o600 });
  return 'added';
}
