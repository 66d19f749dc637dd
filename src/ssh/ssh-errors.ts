// Turning what Node's sockets and ssh2 report into the closed set of transport failure reasons,
// with a one-line detail a person can act on.
import type { TransportFailureReason } from './remote-shell.js';

/** How far a connection got; errors and timeouts are described relative to it. */
export type ConnectionPhase = 'tcp' | 'handshake' | 'auth' | 'command';

export const phaseText: Record<ConnectionPhase, string> = {
  tcp: 'waiting for the TCP connection',
  handshake: 'during the SSH handshake',
  auth: 'during authentication',
  command: 'while the command ran',
};

export interface ClassifiedError {
  reason: TransportFailureReason;
  detail: string;
}

/** The fields Node's errno errors and ssh2's errors carry, all optional. */
interface ErrorFields {
  message?: unknown;
  code?: unknown;
  level?: unknown;
  errors?: unknown;
}

// SSH_MSG_DISCONNECT reason 14 (RFC 4253 §11.1), sent e.g. by OpenSSH after MaxAuthTries.
const DISCONNECT_NO_MORE_AUTH_METHODS = 14;

const dnsCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_NODATA', 'EAI_FAIL']);
const unreachableCodes = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN']);

export function classifyError(error: unknown, phase: ConnectionPhase, address: string, port: number): ClassifiedError {
  const target = `${address}:${port}`;
  const fields: ErrorFields = typeof error === 'object' && error !== null ? error : {};
  const code = errorCode(fields);
  const message = oneLine(typeof fields.message === 'string' ? fields.message : String(error));

  if (typeof code === 'string') {
    if (dnsCodes.has(code)) return { reason: 'dns', detail: `cannot resolve ${address} (${code})` };
    if (code === 'ECONNREFUSED') return { reason: 'refused', detail: `connection to ${target} refused; is sshd listening on that port?` };
    if (unreachableCodes.has(code)) return { reason: 'unreachable', detail: `${target} is unreachable (${code})` };
    if (code === 'ETIMEDOUT' && phase === 'tcp') {
      return { reason: 'connect-timeout', detail: `TCP connection to ${target} timed out (ETIMEDOUT)` };
    }
    if (code === 'ECONNRESET') return { reason: 'ssh-error', detail: `connection reset by ${target} ${phaseText[phase]}` };
  }
  if (code === DISCONNECT_NO_MORE_AUTH_METHODS && phase === 'auth') {
    return { reason: 'auth-failed', detail: `${target} ended authentication: ${message}` };
  }
  return { reason: 'ssh-error', detail: `${message} (${target}, ${phaseText[phase]})` };
}

/**
 * Whether a connection error before the command started is worth another attempt: a reset
 * (ECONNRESET, EPIPE) before or during authentication, or the server closing the socket before
 * its version line, which is what an OpenSSH sshd beyond MaxStartups does.
 */
export function isTransientError(error: unknown, phase: ConnectionPhase): boolean {
  if (phase === 'command') return false;
  const fields: ErrorFields = typeof error === 'object' && error !== null ? error : {};
  const code = errorCode(fields);
  if (code === 'ECONNRESET' || code === 'EPIPE') return true;
  const message = typeof fields.message === 'string' ? fields.message : '';
  return phase !== 'auth' && /connection lost before handshake/i.test(message);
}

/** The errno code; Node reports a failed multi-address connect as an AggregateError. */
function errorCode(fields: ErrorFields): unknown {
  if (fields.code !== undefined) return fields.code;
  if (Array.isArray(fields.errors)) {
    const first: unknown = fields.errors[0];
    if (typeof first === 'object' && first !== null && 'code' in first) return first.code;
  }
  return undefined;
}

/** Details are single lines: reports put them in table cells and CSV fields. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
