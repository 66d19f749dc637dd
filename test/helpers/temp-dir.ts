// Temporary directories for tests that need real files (keys, known_hosts, agent sockets).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  path: string;
  /** `path` joined with the given parts. */
  file(...parts: string[]): string;
  remove(): Promise<void>;
}

export async function makeTempDir(prefix = 'sockaudit-test-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    file: (...parts) => join(path, ...parts),
    remove: () => rm(path, { recursive: true, force: true }),
  };
}
