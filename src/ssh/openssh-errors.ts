// What the system `ssh` says on stderr when it exits 255, in the reasons the ssh2 transport
// uses, so both transports report the same outcome for the same host.
import type { TransportFailureReason } from './remote-shell.js';
import { oneLine } from './ssh-errors.js';

interface Rule {
  pattern: RegExp;
  reason: TransportFailureReason;
  transient?: boolean;
}

// Most specific first: a changed key also ends with "Host key verification failed.".
const rules: Rule[] = [
  { pattern: /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i, reason: 'host-key-mismatch' },
  { pattern: /Host key verification failed|No \S+ host key is known for/i, reason: 'host-key-unknown' },
  { pattern: /Permission denied \(|Too many authentication failures|no such identity/i, reason: 'auth-failed' },
  { pattern: /Could not resolve hostname|Name or service not known|Temporary failure in name resolution|nodename nor servname/i, reason: 'dns' },
  { pattern: /Connection refused/i, reason: 'refused' },
  { pattern: /No route to host|Network is unreachable|Host is down/i, reason: 'unreachable' },
  { pattern: /timed out|Operation timed out/i, reason: 'connect-timeout' },
  // A jump host that may not forward, or could not connect and gave no reason (strerror text
  // such as "Connection refused" is caught above, as the ssh2 transport reads it).
  { pattern: /open failed: administratively prohibited/i, reason: 'ssh-error' },
  { pattern: /open failed: connect failed/i, reason: 'unreachable' },
  { pattern: /Connection reset by peer|Connection closed by .* port \d+|kex_exchange_identification/i, reason: 'ssh-error', transient: true },
];

export interface SshFailure {
  reason: TransportFailureReason;
  detail: string;
  transient: boolean;
}

/** The failure behind an exit 255 of `ssh`, or undefined when stderr names none (the command's own 255). */
export function classifySshStderr(stderr: string): SshFailure | undefined {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  for (const rule of rules) {
    const line = lines.find((l) => rule.pattern.test(l));
    if (line !== undefined) return { reason: rule.reason, detail: `ssh: ${oneLine(line)}`, transient: rule.transient === true };
  }
  return undefined;
}
