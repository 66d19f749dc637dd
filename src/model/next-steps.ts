// The commands an operator runs next on the host, per cause, with the host's real unit names
// (shell-quoted: they contain backslashes) and a --since the host's journalctl understands.
// Printed, never executed: sockaudit itself only reads.
import { hasShellSyntax, shellJoin, shellQuote } from './shell-quote.js';
import type { CauseId, ListenEntry, NextStep, ServiceState, SocketState } from './types.js';

export interface NextStepInput {
  cause: CauseId;
  socket: SocketState;
  /** The triggered units this finding is about, the most telling first. */
  services: readonly ServiceState[];
  /** Start of the journal window (ISO), or null for "newest lines". */
  since: string | null;
  systemdVersion: number;
}

/** `--since` that the host's journalctl reads: `… UTC` needs 229+, `@epoch` works on all. */
export function sinceArgument(iso: string, systemdVersion: number): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  if (systemdVersion < 229) return `--since @${Math.floor(date.getTime() / 1000)}`;
  return `--since ${shellQuote(`${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`)}`;
}

function journalStep(units: readonly string[], input: NextStepInput, label: string): NextStep {
  const since = input.since === null ? '-n 100' : sinceArgument(input.since, input.systemdVersion) || '-n 100';
  const args = units.flatMap((u) => ['-u', shellQuote(u)]).join(' ');
  return { label, command: `journalctl --no-pager ${args} ${since}` };
}

/** The socket and at most two of its triggered units (Accept=yes can have many instances). */
function unitsOf(input: NextStepInput): string[] {
  return [input.socket.unit, ...input.services.slice(0, 2).map((s) => s.unit)];
}

/** The port of `0.0.0.0:80`, `[::]:22`, `[fe80::1]:53%eth0`, `22`; null for unix paths, netlink, FIFOs. */
export function listenPort(entry: ListenEntry): number | null {
  const m = /^(?:(?:\[[^\]]*\]|\d{1,3}(?:\.\d{1,3}){3}):)?(\d{1,5})(?:%[\w.-]+)?$/.exec(entry.address);
  const port = m?.[1] === undefined ? Number.NaN : Number(m[1]);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : null;
}

function portOwnerSteps(listen: readonly ListenEntry[]): NextStep[] {
  const steps: NextStep[] = [];
  for (const entry of listen) {
    const port = listenPort(entry);
    if (port !== null && (entry.type === 'Stream' || entry.type === 'Datagram')) {
      const flags = entry.type === 'Stream' ? '-ltnp' : '-lunp';
      steps.push({ label: `Which process holds ${entry.address}`, command: `ss ${flags} 'sport = :${port}'` });
    } else if (entry.address.startsWith('/')) {
      steps.push({ label: `Which process holds ${entry.address}`, command: `ss -lxp | grep -F -- ${shellQuote(entry.address)}` });
    }
    if (steps.length >= 2) break;
  }
  return steps;
}

function restartStep(input: NextStepInput, failedServices: boolean): NextStep {
  const reset = failedServices ? [input.socket.unit, ...input.services.slice(0, 2).map((s) => s.unit)] : [input.socket.unit];
  return {
    label: 'After fixing the cause: clear the failed state and restart the socket',
    command: `systemctl reset-failed ${shellJoin(reset)} && systemctl restart ${shellQuote(input.socket.unit)}`,
  };
}

/** Netdata's last step: the daemon in the foreground with debug logging, from its ExecStart. */
function foregroundStep(service: ServiceState | undefined, socket: SocketState): NextStep | null {
  if (service === undefined || service.load !== 'loaded') return null;
  const exec = service.execStart;
  const stop = `systemctl stop ${shellJoin([socket.unit, service.unit])}`;
  if (exec === null || hasShellSyntax(exec.argv) || exec.argv.trim() === '') {
    return {
      label: `Copy ExecStart= of ${service.unit} (systemctl show cannot reproduce its quoting) and run it in the foreground with SYSTEMD_LOG_LEVEL=debug, after: ${stop}`,
      command: `systemctl cat ${shellQuote(service.unit)}`,
    };
  }
  // argv[0] may be a display name (ExecStart=@/path name …): run the real path with the rest.
  const args = exec.argv.trim().split(/\s+/).slice(1);
  return {
    label: `Stop the socket and run ${service.unit} in the foreground with debug logging (ExecStart as systemctl prints it; use the service's User=)`,
    command: `${stop} && SYSTEMD_LOG_LEVEL=debug ${shellJoin([exec.path, ...args])}`,
  };
}

function compact(steps: Array<NextStep | null>): NextStep[] {
  return steps.filter((s): s is NextStep => s !== null);
}

export function nextSteps(input: NextStepInput): NextStep[] {
  const { socket, services } = input;
  const service = services[0];
  const sock = shellQuote(socket.unit);
  const units = unitsOf(input);
  const journal = (label = 'Read the journal of the socket and what it triggers'): NextStep => journalStep(units, input, label);
  switch (input.cause) {
    case 'port-in-use':
      return [...portOwnerSteps(socket.listen), journal(), restartStep(input, false)];
    case 'address-not-available':
      return [{ label: 'Which addresses this host has', command: 'ip -brief address' }, journal(), restartStep(input, false)];
    case 'permission-denied':
      return [journal(), { label: 'Check the listen path and SocketUser/SocketGroup/SocketMode', command: `systemctl cat ${sock}` }, restartStep(input, false)];
    case 'service-crash-loop':
    case 'service-exit-failure':
      return compact([journal('Read why the service exits'), foregroundStep(service, socket), restartStep(input, true)]);
    case 'trigger-limit-hit':
      return compact([
        journal(),
        service === undefined ? null : { label: 'Check that the service accepts the passed socket (sd_listen_fds / StandardInput=socket)', command: `systemctl cat ${shellQuote(service.unit)}` },
        restartStep(input, false),
      ]);
    case 'missing-service-unit': {
      const prefix = socket.unit.replace(/\.socket$/, '');
      return [
        { label: 'Which units with this name exist', command: `systemctl list-unit-files --no-pager ${shellQuote(`${prefix}*`)}` },
        { label: 'Which service the socket names (Service=)', command: `systemctl cat ${sock}` },
        { label: 'After installing the service', command: `systemctl daemon-reload && systemctl restart ${sock}` },
      ];
    }
    case 'missing-template': {
      const template = socket.template?.unit ?? `${socket.unit.replace(/\.socket$/, '')}@.service`;
      return [
        { label: `Look for the template ${template}`, command: `systemctl list-unit-files --no-pager ${shellQuote(template)}` },
        { label: 'Check Accept= of the socket', command: `systemctl cat ${sock}` },
        { label: 'After installing the template', command: `systemctl daemon-reload && systemctl restart ${sock}` },
      ];
    }
    case 'missing-socket-unit':
      return [
        { label: 'Who wants this socket', command: `systemctl list-dependencies --reverse --no-pager ${sock}` },
        { label: 'Which units with this name exist', command: `systemctl list-unit-files --no-pager ${shellQuote(`${socket.unit.replace(/\.socket$/, '')}*`)}` },
      ];
    case 'invalid-unit-setting': {
      const broken = socket.load === 'loaded' && service !== undefined ? service : socket;
      const verify = broken.fragmentPath === null ? `systemctl cat ${shellQuote(broken.unit)}` : `systemd-analyze verify ${shellQuote(broken.fragmentPath)}`;
      return [
        { label: `Show the bad setting of ${broken.unit}`, command: verify },
        journal(),
        { label: 'After fixing the unit file', command: `systemctl daemon-reload && systemctl restart ${sock}` },
      ];
    }
    case 'unit-masked': {
      const masked = socket.load === 'masked' || service === undefined ? socket.unit : service.unit;
      return [{ label: 'Only if the mask is a mistake: unmask and start', command: `systemctl unmask ${shellQuote(masked)} && systemctl start ${sock}` }];
    }
    case 'exec-pre-post-failed':
      return [journal('Read which ExecStartPre/Post command failed'), { label: 'Show the control commands', command: `systemctl cat ${shellJoin(units.slice(0, 2))}` }, restartStep(input, true)];
    case 'timeout':
      return compact([journal('Read which step timed out'), { label: 'Show the timeouts', command: `systemctl cat ${shellJoin(units.slice(0, 2))}` }, foregroundStep(service, socket), restartStep(input, true)]);
    case 'killed-by-signal': {
      const exe = service?.execStart?.path;
      return compact([
        journal('Read which signal killed it'),
        { label: 'List its core dumps', command: `coredumpctl list --no-pager${exe === undefined ? '' : ` ${shellQuote(exe)}`}` },
        foregroundStep(service, socket),
        restartStep(input, true),
      ]);
    }
    case 'socket-start-limit':
      return [journal('Read why the socket was restarted so often'), { label: 'Clear the start limit and start the socket', command: `systemctl reset-failed ${sock} && systemctl start ${sock}` }];
    case 'connection-limit':
      return [
        { label: 'Compare the connection counters with the limit', command: `systemctl show -p MaxConnections,NConnections,NAccepted,NRefused ${sock}` },
        journal('Read the refusals'),
        ...portOwnerSteps(socket.listen).map((s) => ({ ...s, label: `Who is connected to ${s.label.replace(/^Which process holds /, '')}`, command: s.command.replace(/ -l(t|u)np/, ' -$1np') })),
      ];
    case 'unknown':
      return [journal(), { label: 'Show the full state', command: `systemctl status --no-pager --full ${shellJoin(units.slice(0, 2))}` }, restartStep(input, true)];
    case 'policy-requirement':
      return [
        { label: 'Show its state and where it listens', command: `systemctl show --no-pager -p LoadState,ActiveState,SubState,UnitFileState,Listen ${sock}` },
        { label: 'Show the unit file and its drop-ins', command: `systemctl cat --no-pager ${sock}` },
        { label: 'Once it is right: start it now and at every boot', command: `systemctl enable --now ${sock}` },
      ];
  }
}
