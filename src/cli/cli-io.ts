// What a command may touch of the outside world; main.ts passes the real process streams,
// tests pass their own.
import type { PassphrasePrompt } from '../ssh/credentials.js';
import type { RemoteShell } from '../ssh/remote-shell.js';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Read by `sockaudit report -` (a saved report piped in). */
  stdin?: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C: hosts still running end as `deadline`, the report is still written. */
  signal?: AbortSignal;
  /** The transport; the ssh2 one unless a caller (tests) provides another. */
  shell?: RemoteShell;
  /** Asks for the passphrase of an encrypted key no variable unlocks; absent without a terminal. */
  askPassphrase?: PassphrasePrompt;
}
