// Which sockets of one host have a problem, and of which kind, including the ones
// `systemctl --failed` misses: a triggered service that does not exist, an Accept=yes socket
// without its template, units that cannot load, services in a restart loop, refusals.
// The probe's journal selection (probe-awk.ts) mirrors these rules so that evidence is
// collected for exactly these sockets.
import { findingKinds } from './finding-kinds.js';
import type { FindingKind, ServiceState, Severity, SocketState } from './types.js';

export interface Problem {
  kind: FindingKind;
  severity: Severity;
  socket: SocketState;
  /** The triggered units the problem is about, the most telling first. */
  services: ServiceState[];
}

/** Unit file states that mean "an administrator or a package asked for this unit". */
const enabledStates = new Set(['enabled', 'enabled-runtime', 'linked', 'linked-runtime', 'generated', 'transient']);

/**
 * Does anything expect this socket to listen? Wanted by a target (WantedBy=/RequiredBy=, when the
 * probe printed them), enabled, or already started (active, failed, on its way).
 */
export function isWanted(socket: SocketState): boolean {
  if (socket.wantedBy !== null && socket.wantedBy.length > 0) return true;
  if (socket.unitFileState !== null && enabledStates.has(socket.unitFileState)) return true;
  return socket.active !== 'inactive';
}

const notLoadedStates = new Set(['not-found', 'bad-setting', 'error']);

function problem(kind: FindingKind, socket: SocketState, services: ServiceState[], severity: Severity = findingKinds[kind].severity): Problem {
  return { kind, severity, socket, services };
}

/** The triggered units of a socket with their states; a unit `show` did not print is treated as unknown (left out). */
function triggered(socket: SocketState, services: ReadonlyMap<string, ServiceState>): ServiceState[] {
  return socket.triggers.map((u) => services.get(u)).filter((s): s is ServiceState => s !== undefined);
}

function serviceProblems(socket: SocketState, units: ServiceState[]): Problem[] {
  const out: Problem[] = [];
  const perConnection = socket.accept === true;
  const looping = units.filter((s) => s.load === 'loaded' && s.sub === 'auto-restart');
  if (looping.length > 0) out.push(problem('service-restart-loop', socket, looping, perConnection ? 'notice' : 'warning'));
  const failed = units.filter((s) => s.load === 'loaded' && s.active === 'failed' && s.sub !== 'auto-restart');
  // One failed per-connection instance affects one client, not the listener.
  if (failed.length > 0) out.push(problem('service-failed', socket, failed, perConnection ? 'notice' : 'warning'));
  return out;
}

/** The problems of one socket; empty when it is fine. */
export function socketProblems(socket: SocketState, services: ReadonlyMap<string, ServiceState>): Problem[] {
  const units = triggered(socket, services);
  const wanted = isWanted(socket);
  if (socket.load === 'masked') return [problem('socket-masked', socket, [])];
  if (notLoadedStates.has(socket.load)) return [problem('socket-not-loaded', socket, units, wanted ? 'critical' : 'notice')];
  if (socket.load !== 'loaded') return [];

  if (socket.active === 'failed') {
    // Service problems are part of the story of a failed socket, not findings of their own.
    return [problem('socket-failed', socket, [...units].sort(byTrouble))];
  }
  const out: Problem[] = [];
  const missing = socket.accept === true ? [] : units.filter((s) => s.load !== 'loaded');
  if (missing.length > 0) {
    const masked = missing.every((s) => s.load === 'masked');
    out.push(problem('service-missing', socket, missing, !wanted ? 'notice' : masked ? 'warning' : 'critical'));
  }
  if (socket.accept === true && socket.template !== null && socket.template.found === false) {
    out.push(problem('template-missing', socket, [], wanted ? 'critical' : 'notice'));
  }
  out.push(...serviceProblems(socket, units));
  if (socket.active === 'active' && socket.nRefused !== null && socket.nRefused > 0) out.push(problem('connections-refused', socket, units));
  return out;
}

/** Failed first, then restarting, then the rest: the unit that explains most comes first. */
function byTrouble(a: ServiceState, b: ServiceState): number {
  const rank = (s: ServiceState): number => (s.load !== 'loaded' ? 0 : s.active === 'failed' ? 1 : s.sub === 'auto-restart' ? 2 : 3);
  return rank(a) - rank(b);
}
