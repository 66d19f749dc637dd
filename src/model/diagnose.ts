// Root cause of one finding, from the strongest signal available: the load state, the socket's
// Result, the service's Result and exit status, then the journal (ERRNO=, UNIT_RESULT=,
// MESSAGE_ID=, and the message text as a last resort). Always one id of the closed catalogue;
// `unknown` keeps whatever evidence there was for a human to read.
import { causes } from './causes.js';
import {
  bindProblem,
  controlProcessFailure,
  entriesOf,
  exitCount,
  journalUnitResult,
  lastOwnOutput,
  mainExitText,
  newestMatching,
} from './journal-facts.js';
import type { CauseBasis, CauseId, FindingCause, FindingKind, JournalEntry, ServiceState, SocketState } from './types.js';

export interface DiagnosisInput {
  kind: FindingKind;
  socket: SocketState;
  /** The triggered units this finding is about, the most telling first. */
  services: readonly ServiceState[];
  /** The journal excerpt of the socket (socket and triggered units), newest last. */
  entries: readonly JournalEntry[];
}

function cause(id: CauseId, detail: string, basis: CauseBasis): FindingCause {
  const info = causes[id];
  return { id, title: info.title, severity: info.severity, detail, basis };
}

/** `exit status 3`, `signal 11`, … from ExecMainCode/ExecMainStatus (1 exited, 2 killed, 3 dumped). */
function exitFromProperties(service: ServiceState): string | null {
  const { execMainCode: code, execMainStatus: status } = service;
  if (code === null || status === null || code === 0) return null;
  if (code === 1) return `exit status ${status}`;
  if (code === 2) return `killed by signal ${status}`;
  if (code === 3) return `signal ${status}, core dumped`;
  return `code ${code}, status ${status}`;
}

/**
 * One line about how a service ended, most telling first (a table cuts the end):
 * `api.service code=exited, status=78/CONFIG (5 exits); last output: "…"; Result=exit-code`.
 */
export function describeService(service: ServiceState, entries: readonly JournalEntry[]): string {
  if (service.load !== 'loaded') return `${service.unit} ${service.load}`;
  const own = entriesOf(entries, service.unit);
  const parts: string[] = [];
  const exit = mainExitText(own) ?? exitFromProperties(service);
  const exits = exitCount(own);
  parts.push(`${service.unit} ${exit ?? `${service.active}/${service.sub}`}${exits > 1 ? ` (${exits} exits)` : ''}`);
  const output = lastOwnOutput(own);
  if (output.length > 0) parts.push(`last output: ${output.map((l) => `"${l}"`).join(' ')}`);
  parts.push(`Result=${service.result ?? '?'}${service.nRestarts !== null && service.nRestarts > 0 ? `, NRestarts=${service.nRestarts}` : ''}`);
  return parts.join('; ');
}

/** A cause from a unit Result value (socket or service), or null when the value says nothing specific. */
function causeFromResult(result: string, socketLevel: boolean): CauseId | null {
  switch (result) {
    case 'service-start-limit-hit':
    case 'service-failed-permanent': // 219's name for service-start-limit-hit
      return 'service-crash-loop';
    case 'trigger-limit-hit':
      return 'trigger-limit-hit';
    case 'start-limit-hit':
    case 'start-limit':
      return socketLevel ? 'socket-start-limit' : 'service-crash-loop';
    case 'timeout':
    case 'watchdog':
      return 'timeout';
    case 'signal':
    case 'core-dump':
    case 'oom-kill':
      return 'killed-by-signal';
    // A socket has no main process: exit-code on a socket is one of its Exec*Pre/Post commands.
    case 'exit-code':
      return socketLevel ? 'exec-pre-post-failed' : 'service-exit-failure';
    default:
      return null;
  }
}

function diagnoseResources(socket: SocketState, socketEntries: readonly JournalEntry[]): FindingCause {
  const bind = bindProblem(socketEntries);
  if (bind !== null) return cause(bind.problem, `Result=resources; journal: ${JSON.stringify(bind.entry.message)}`, bind.basis);
  const refusing = newestMatching(socketEntries, /not loaded, refusing/);
  if (refusing !== null) return cause('missing-service-unit', `journal: ${JSON.stringify(refusing.message)}`, 'journal-text');
  const failure = newestMatching(socketEntries, /Failed to (?:create listening socket|listen on sockets|receive listening socket)|Failed to /);
  const seen = failure === null ? '' : `; journal: ${JSON.stringify(failure.message)}`;
  return cause('unknown', `Result=resources: systemd could not set up the socket (bind, listen or another resource)${seen}`, failure === null ? 'result' : 'journal-text');
}

function diagnoseSocketFailed(input: DiagnosisInput): FindingCause {
  const { socket, services, entries } = input;
  const socketEntries = entriesOf(entries, socket.unit);
  const service = services[0];
  const serviceLine = service === undefined ? '' : describeService(service, entries);
  let result = socket.result;
  let basis: CauseBasis = 'result';
  if (result === null || result === 'success') {
    // The socket's own Result was reset or not printed: the journal's "Failed with result" says.
    const fromJournal = journalUnitResult(socketEntries);
    if (fromJournal !== null) [result, basis] = [fromJournal.result, fromJournal.basis];
  }
  if (result === 'resources') return diagnoseResources(socket, socketEntries);
  const id = result === null ? null : causeFromResult(result, true);
  if (id === 'service-crash-loop') {
    return cause(id, `${serviceLine || 'triggered service state not read'}; start limit hit (socket Result=${result})`, basis);
  }
  if (id === 'trigger-limit-hit') {
    const quietExit = service !== undefined && service.result === 'success' && lastOwnOutput(entriesOf(entries, service.unit)).length === 0;
    const why = quietExit ? `; ${service.unit} ran and exited successfully without taking the connection` : service === undefined ? '' : `; ${serviceLine}`;
    return cause(id, `Result=trigger-limit-hit, NRefused=${socket.nRefused ?? 'n/a'}${why}`, basis);
  }
  if (id === 'exec-pre-post-failed') {
    const control = controlProcessFailure(socketEntries);
    return cause(id, `Result=exit-code${control === null ? '' : `; journal: ${JSON.stringify(control.message)}`}`, control === null ? basis : 'journal-text');
  }
  if (id !== null) return cause(id, `Result=${result}${serviceLine === '' ? '' : `; ${serviceLine}`}`, basis);
  // No telling Result: bind errors and the "not loaded" refusal can still be in the journal.
  const fallback = diagnoseResources(socket, socketEntries);
  if (fallback.id !== 'unknown') return fallback;
  return cause('unknown', `Result=${socket.result ?? 'not printed'}${serviceLine === '' ? '' : `; ${serviceLine}`}`, 'none');
}

/** Cause of a service that failed or is restarting, from its Result, then the journal. */
function diagnoseService(service: ServiceState, entries: readonly JournalEntry[], loop: boolean): FindingCause {
  const line = describeService(service, entries);
  const own = entriesOf(entries, service.unit);
  const control = controlProcessFailure(own);
  if (control !== null) return cause('exec-pre-post-failed', `${line}; journal: ${JSON.stringify(control.message)}`, 'journal-text');
  let result = service.result;
  let basis: CauseBasis = 'service-result';
  if (result === null || result === 'success') {
    const fromJournal = journalUnitResult(own);
    if (fromJournal !== null) [result, basis] = [fromJournal.result, fromJournal.basis];
  }
  const id = result === null ? null : causeFromResult(result, false);
  if (id === 'service-exit-failure' && loop) return cause('service-crash-loop', `${line}; in auto-restart`, basis);
  if (id !== null) return cause(id, line, basis);
  return cause('unknown', line, 'none');
}

function diagnoseNotLoaded(unit: string, load: string, loadError: string | null): FindingCause {
  const error = loadError === null ? '' : `: ${loadError}`;
  if (load === 'masked') return cause('unit-masked', `${unit} is masked${error}`, 'load-state');
  if (load === 'not-found') return cause('missing-service-unit', `${unit} does not exist${error}`, 'load-state');
  return cause('invalid-unit-setting', `${unit} LoadState=${load}${error}`, 'load-state');
}

export function diagnose(input: DiagnosisInput): FindingCause {
  const { kind, socket, services, entries } = input;
  const service = services[0];
  switch (kind) {
    case 'socket-failed':
      return diagnoseSocketFailed(input);
    case 'socket-masked':
      return diagnoseNotLoaded(socket.unit, 'masked', socket.loadError);
    case 'socket-not-loaded': {
      if (socket.load === 'not-found') return cause('missing-socket-unit', `${socket.unit} does not exist${socket.loadError === null ? '' : `: ${socket.loadError}`}`, 'load-state');
      const said = newestMatching(entriesOf(entries, socket.unit), /./);
      const base = diagnoseNotLoaded(socket.unit, socket.load, socket.loadError);
      return said === null ? base : { ...base, detail: withJournal(base.detail, said.message) };
    }
    case 'service-missing': {
      if (service === undefined) return cause('missing-service-unit', `${socket.unit} triggers no unit`, 'load-state');
      const refusing = newestMatching(entriesOf(entries, socket.unit), /not loaded, refusing/);
      const base = diagnoseNotLoaded(service.unit, service.load, service.loadError);
      return refusing === null ? base : { ...base, detail: withJournal(base.detail, refusing.message) };
    }
    case 'template-missing':
      return cause('missing-template', `Accept=yes needs ${socket.template?.unit ?? 'a template service'}, which the host does not have`, 'load-state');
    case 'service-restart-loop':
      return service === undefined ? cause('unknown', 'no triggered service state', 'none') : diagnoseService(service, entries, true);
    case 'service-failed':
      return service === undefined ? cause('unknown', 'no triggered service state', 'none') : diagnoseService(service, entries, false);
    case 'connections-refused': {
      const dropped = newestMatching(entriesOf(entries, socket.unit), /Too many incoming connections/);
      const atLimit = socket.maxConnections !== null && socket.nConnections !== null && socket.nConnections >= socket.maxConnections;
      const counters = `NRefused=${socket.nRefused ?? 'n/a'}, NConnections=${socket.nConnections ?? 'n/a'}, MaxConnections=${socket.maxConnections ?? 'n/a'}`;
      if (dropped !== null) return cause('connection-limit', `${counters}; journal: ${JSON.stringify(dropped.message)}`, 'journal-text');
      if (atLimit) return cause('connection-limit', counters, 'counters');
      return cause('unknown', counters, 'counters');
    }
    // A policy's requirements are checked by src/policy/, which writes their detail itself.
    case 'required-socket-missing':
    case 'required-socket-inactive':
    case 'required-listen-missing':
      return cause('policy-requirement', `${socket.unit} does not meet a requirement of the policy`, 'policy');
  }
}

/** `Unit x.service not found; journal: "…"`: one sentence, not `found.; journal`. */
function withJournal(detail: string, message: string): string {
  return `${detail.replace(/\.$/, '')}; journal: ${JSON.stringify(message)}`;
}
