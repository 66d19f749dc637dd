// The one narrow port between the audit and the way commands reach a host. The ssh2
// implementation lives in ssh2-shell.ts; tests and other transports implement the same shape.
import type { HostTarget, UnknownReason } from '../model/types.js';

/** What one remote command produced. A non-zero exit is data, not an exception. */
export interface CommandResult {
  stdout: string;
  stderr: string;
  /** Remote exit status; null when the channel closed without one (killed, disconnected). */
  exitCode: number | null;
  /** Remote signal name (`TERM`, `KILL`) when the command died of one. */
  signal: string | null;
  durationMs: number;
}

/** The reasons a transport itself can fail; the probe parser adds no-systemd etc. */
export type TransportFailureReason = Extract<
  UnknownReason,
  | 'dns'
  | 'refused'
  | 'unreachable'
  | 'connect-timeout'
  | 'auth-failed'
  | 'host-key-unknown'
  | 'host-key-mismatch'
  | 'ssh-error'
  | 'command-timeout'
  | 'deadline'
  | 'output-limit'
>;

export type ExecOutcome =
  | { ok: true; result: CommandResult }
  | {
      ok: false;
      reason: TransportFailureReason;
      detail: string;
      durationMs: number;
      /**
       * Set when the connection failed before authentication in a way a new attempt may not:
       * reset, or closed by the server during the handshake (what sshd's MaxStartups does to
       * connections beyond its limit). The collector retries these; never auth or host-key
       * failures, timeouts, or anything once the command started.
       */
      transient?: boolean;
    };

export interface ExecOptions {
  /** Aborted when the host's overall deadline passes or the run is interrupted. */
  signal?: AbortSignal;
  /** Upper bound for stdout + stderr bytes; beyond it the run ends with `output-limit`. */
  maxOutputBytes: number;
  /**
   * Written to the command's stdin, then stdin is closed. The probe is sent this way
   * (`sh -s`) so that it runs the same whatever the remote login shell is (bash, zsh,
   * fish, csh) and no argument-length limit applies.
   */
  stdin?: string;
}

/**
 * Connect to `host`, run `command` once, always close the connection, and report what
 * happened. Implementations never throw for anything a host does; they return `ok: false`.
 */
export interface RemoteShell {
  exec(host: HostTarget, command: string, options: ExecOptions): Promise<ExecOutcome>;
  /** Releases what the transport keeps between hosts (jump host connections, control sockets). */
  close?(): Promise<void>;
}
