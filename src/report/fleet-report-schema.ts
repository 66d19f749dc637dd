// The shape of a saved FleetReport (schemaVersion 1), checked before `sockaudit report`
// renders it: renderers may then rely on every field they read.
import { causeIds, findingKindIds, journalAccessStates, unknownReasons } from '../model/types.js';
import { arrayOf, bool, literal, nullable, num, object, recordOf, str, type Check } from './shape-check.js';

const severity = literal('critical', 'warning', 'notice');
const nStr = nullable(str);
const nNum = nullable(num);

const listenEntry = object({ type: str, address: str });

const unitCommon = { unit: str, description: nStr, load: str, active: str, sub: str, result: nStr, loadError: nStr, fragmentPath: nStr, unitFileState: nStr, stateChangedAt: nStr };

const socketState = object({
  ...unitCommon,
  listen: arrayOf(listenEntry),
  triggers: arrayOf(str),
  accept: nullable(bool),
  nAccepted: nNum,
  nConnections: nNum,
  nRefused: nNum,
  maxConnections: nNum,
  wantedBy: nullable(arrayOf(str)),
  template: nullable(object({ unit: str, found: nullable(bool) })),
});

const serviceState = object({ ...unitCommon, execMainStatus: nNum, execMainCode: nNum, nRestarts: nNum, execStart: nullable(object({ path: str, argv: str })) });

const journalAccess = literal(...journalAccessStates);

const capabilities = object({ nRefused: bool, stateChangeTimestamp: bool, nRestarts: bool, journalUnitResult: bool, templateCheck: bool });

export const hostReportShape: Check = object(
  {
    name: str,
    address: str,
    port: num,
    user: str,
    groups: arrayOf(str),
    labels: recordOf(str),
    status: literal('audited', 'unknown'),
    durationMs: num,
    sockets: arrayOf(socketState),
    services: arrayOf(serviceState),
    warnings: arrayOf(str),
  },
  {
    reason: literal(...unknownReasons),
    detail: str,
    via: arrayOf(object({ label: str, address: str, port: num, user: str })),
    systemdVersion: num,
    systemdVersionText: str,
    systemState: nStr,
    attempts: num,
    journalAccess,
    journalAccessDetail: nStr,
    capabilities,
  },
);

const waiverRef = { index: num, where: str, reason: str, owner: nStr, expires: str };

const findingGate = object({
  waived: bool,
  waiver: nullable(object({ ...waiverRef, expired: bool })),
  baseline: nullable(literal('new', 'persisting')),
});

const threshold = literal('critical', 'warning', 'notice', 'never');

/** `{ count: 3 }` or `{ percent: 5 }`: exactly one of the two. */
const unknownTolerance: Check = (value, path, issues) => {
  object({}, { count: num, percent: num })(value, path, issues);
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  if (('count' in record) === ('percent' in record)) issues.push({ path, message: 'expected {"count": N} or {"percent": N}' });
};

const gateSummary = object({
  thresholds: object(
    { failOn: severity, maxUnknown: unknownTolerance },
    { failOnKinds: recordOf(threshold), failOnCauses: recordOf(threshold) },
  ),
  policyFile: nStr,
  today: str,
  warnBeforeDays: num,
  waivers: arrayOf(
    object({
      ...waiverRef,
      hosts: arrayOf(str),
      units: arrayOf(str),
      kinds: arrayOf(literal(...findingKindIds)),
      causes: arrayOf(literal(...causeIds)),
      state: literal('active', 'expiring', 'expired'),
      daysLeft: num,
      matched: num,
    }),
  ),
  required: arrayOf(
    object({ index: num, where: str, hosts: arrayOf(str), unit: str, listen: arrayOf(str), state: literal('active', 'loaded'), severity, checked: num, unmet: num }),
  ),
  baseline: nullable(object({ file: str, startedAt: str, findings: num, notSeen: num })),
});

const triggeredSummary = object({ unit: str, load: nStr, active: nStr, sub: nStr, result: nStr });

const journalEntry = object(
  { time: nStr, unit: str, priority: nNum, message: str },
  { messageId: str, unitResult: str, errno: num, pid: num, identifier: str },
);

export const findingShape: Check = object({
  host: str,
  unit: str,
  kind: literal(...findingKindIds),
  severity,
  result: nStr,
  listen: arrayOf(listenEntry),
  triggers: arrayOf(triggeredSummary),
  cause: object({
    id: literal(...causeIds),
    title: str,
    severity,
    detail: str,
    basis: literal('load-state', 'result', 'service-result', 'journal-errno', 'journal-message-id', 'journal-text', 'counters', 'policy', 'none'),
  }),
  evidence: object({ journalAccess, note: nStr, since: nStr, units: arrayOf(str), entries: arrayOf(journalEntry) }),
  nextSteps: arrayOf(object({ label: str, command: str })),
}, { gate: findingGate });

const unitAggregate = object({ unit: str, hosts: arrayOf(str), results: recordOf(num), causes: recordOf(num) });

const causeInfo = object({ title: str, severity, explanation: str });

const summary = object({
  hostsTotal: num,
  hostsAudited: num,
  hostsUnknown: num,
  socketsAudited: num,
  findings: num,
  findingsBySeverity: object({ critical: num, warning: num, notice: num }),
  unknownByReason: recordOf(num),
});

/** Everything of a report but its hosts and findings: the JSONL summary line carries this. */
export const runFields = {
  tool: object({ name: literal('sockaudit'), version: str }),
  startedAt: str,
  finishedAt: str,
  durationMs: num,
  causes: recordOf(causeInfo),
  byUnit: arrayOf(unitAggregate),
  summary,
};

/** Optional run fields: the gate exists when a policy, baseline or thresholds were applied. */
export const optionalRunFields = { gate: gateSummary, hostsNotReported: num };

export const fleetReportShape: Check = object(
  {
    schemaVersion: literal(1),
    ...runFields,
    hosts: arrayOf(hostReportShape),
    findings: arrayOf(findingShape),
  },
  optionalRunFields,
);
