// Small text helpers shared by the human-readable renderers.
import type { ListenEntry, TriggeredSummary, UnknownReason } from '../model/types.js';

/** `0.0.0.0:80`, `/run/x.sock`, `[::]:53 (Datagram)`: Stream is the common case, left implicit. */
export function formatListen(listen: readonly ListenEntry[]): string {
  if (listen.length === 0) return '-';
  return listen.map((entry) => (entry.type === 'Stream' ? entry.address : `${entry.address} (${entry.type})`)).join('\n');
}

/** `api.service failed/failed (exit-code)`; `x.service not-found` when it does not exist. */
export function formatTriggered(triggers: readonly TriggeredSummary[]): string {
  if (triggers.length === 0) return '-';
  return triggers
    .map((t) => {
      if (t.load === null) return `${t.unit} (state not read)`;
      if (t.load !== 'loaded') return `${t.unit} ${t.load}`;
      const result = t.result === null || t.result === 'success' ? '' : ` (${t.result})`;
      return `${t.unit} ${t.active ?? '?'}/${t.sub ?? '?'}${result}`;
    })
    .join('\n');
}

/** One-line explanations of why a host could not be audited. */
export const unknownReasonTitles: Record<UnknownReason, string> = {
  dns: 'name does not resolve',
  refused: 'connection refused',
  unreachable: 'host unreachable',
  'connect-timeout': 'connect timed out',
  'auth-failed': 'authentication failed',
  'host-key-unknown': 'host key not in known_hosts',
  'host-key-mismatch': 'HOST KEY CHANGED',
  'ssh-error': 'SSH error',
  'command-timeout': 'probe timed out',
  deadline: 'host deadline passed',
  'no-systemd': 'systemd is not PID 1',
  'bus-unavailable': 'systemd bus unavailable',
  'output-limit': 'output over the limit',
  'parse-error': 'output not understood',
};
