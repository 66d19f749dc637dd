// The closed catalogue of finding kinds. Every renderer and the README list read titles and
// hints from here, so a new kind is described once.
import type { FindingKind, Severity } from './types.js';

export interface FindingKindInfo {
  title: string;
  severity: Severity;
  summary: string;
  hint: string;
}

/**
 * `severity` is the kind's usual severity; find-problems.ts lowers it where the unit is neither
 * wanted nor running (or serves one connection at a time) and raises an unwanted unit's
 * not-loaded or missing template only when it is wanted.
 */
export const findingKinds: Record<FindingKind, FindingKindInfo> = {
  'socket-failed': {
    title: 'Socket unit failed',
    severity: 'critical',
    summary:
      'The socket unit is in the failed state: systemd closed its listening sockets, so connections to it are refused while the host itself looks healthy.',
    hint: 'Look at its Result (resources = could not bind, service-start-limit-hit = the service crash-loops, trigger-limit-hit = activated too often), fix the cause, then `systemctl reset-failed UNIT && systemctl start UNIT`.',
  },
  'socket-not-loaded': {
    title: 'Socket unit not loaded',
    severity: 'notice',
    summary:
      'The socket unit exists in name only: its file is missing (not-found) or unusable (bad-setting, error), so it cannot listen. Critical when a target wants it or it is enabled; a notice when nothing asks for it.',
    hint: 'Check the unit file with `systemd-analyze verify FILE`, fix it, then `systemctl daemon-reload && systemctl restart UNIT`.',
  },
  'socket-masked': {
    title: 'Socket unit masked',
    severity: 'notice',
    summary: 'The socket unit is masked: usually deliberate (a vendor unit switched off), listed so that a mask set by mistake does not go unseen.',
    hint: 'If the mask is a mistake: `systemctl unmask UNIT && systemctl start UNIT`.',
  },
  'service-missing': {
    title: 'Triggered service missing',
    severity: 'notice',
    summary:
      'The service the socket activates is not loaded (not-found, masked or bad-setting): systemd refuses to start the socket, which stays inactive with Result=success, so `systemctl --failed` does not show it.',
    hint: 'Install or fix the service unit (or point Service= at the right one), then `systemctl daemon-reload && systemctl restart SOCKET`.',
  },
  'template-missing': {
    title: 'Accept=yes without template',
    severity: 'notice',
    summary: 'An Accept=yes socket needs a template service `NAME@.service` to start one instance per connection; the host has none, so every connection fails.',
    hint: 'Install the template unit `NAME@.service`, or set Accept=no if the daemon accepts connections itself.',
  },
  'service-restart-loop': {
    title: 'Service in a restart loop',
    severity: 'warning',
    summary: 'The service the socket activates is in auto-restart: it exited and systemd is about to start it again. `systemctl --failed` does not list it until its start limit is hit.',
    hint: 'Read the service\'s last output in the journal and run its ExecStart in the foreground with SYSTEMD_LOG_LEVEL=debug.',
  },
  'service-failed': {
    title: 'Triggered service failed',
    severity: 'warning',
    summary:
      'The socket still listens but the service it activates is in the failed state: the next connection starts it again, so clients see errors or resets. For Accept=yes sockets this is one failed per-connection instance (a notice).',
    hint: 'Read the service\'s journal, fix it, then `systemctl reset-failed SERVICE`.',
  },
  'connections-refused': {
    title: 'Socket refusing connections',
    severity: 'warning',
    summary: 'The socket is active but has refused connections (NRefused > 0, systemd 239+), typically because MaxConnections= was reached. Older systemd does not count refusals (recorded as a capability gap).',
    hint: 'Compare NConnections with MaxConnections=, and raise the limit or find out why connections stay open.',
  },
  'required-socket-missing': {
    title: 'Required socket missing',
    severity: 'critical',
    summary: 'The policy file requires this socket unit on the host (required:), and the host has no such unit, or its file is not found: nothing listens where the policy expects it.',
    hint: 'Install or enable the unit (`systemctl enable --now UNIT`), or correct the requirement\'s hosts: or unit: in the policy file.',
  },
  'required-socket-inactive': {
    title: 'Required socket not active',
    severity: 'critical',
    summary: 'The policy file requires this socket unit to be active (or loaded) on the host, and it is not: inactive, failed, masked or unusable. Its own finding, if any, gives the cause.',
    hint: 'Fix what stops it (see the socket\'s other finding), then `systemctl start UNIT`; enable it so that it comes back after a reboot.',
  },
  'required-listen-missing': {
    title: 'Required address not listened on',
    severity: 'critical',
    summary: 'The policy file requires this socket unit to listen on an address (listen:) that its Listen*= settings do not include: clients of that address find nobody.',
    hint: 'Compare `systemctl show -p Listen UNIT` with the requirement; fix the unit file (or a drop-in) and `systemctl daemon-reload && systemctl restart UNIT`.',
  },
};

const severityRank: Record<Severity, number> = { notice: 0, warning: 1, critical: 2 };

/** True when `severity` is at or above `threshold`. */
export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank[severity] >= severityRank[threshold];
}
