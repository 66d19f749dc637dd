// Compares sockaudit's JSON report with the expectation, host by host, field by field. Every
// difference becomes one readable line — `bw-failures: lab-crash.socket: result: expected
// "service-start-limit-hit", got "exit-code"` — so that a failing e2e run says what is wrong
// where without a diff of a 200-socket report.
import { journalAccessReported, type ExpectedFinding, type FleetExpectation, type HostExpectation } from './expect-fleet.js';
import type { ServiceTruth, SocketTruth, UnitPattern } from './types.js';

/** The parts of the JSON report (README "The JSON report") that the e2e test reads. */
export interface JsonUnit {
  unit: string;
  load: string;
  active: string;
  sub: string;
  result: string | null;
}
export interface JsonSocket extends JsonUnit {
  listen: { type: string; address: string }[];
  triggers: string[];
  accept: boolean | null;
  nAccepted: number | null;
  nConnections: number | null;
  nRefused: number | null;
}
export interface JsonHost {
  name: string;
  address: string;
  user: string;
  status: string;
  reason?: string;
  detail?: string;
  systemdVersion?: number;
  systemdVersionText?: string;
  systemState?: string | null;
  journalAccess?: string;
  sockets: JsonSocket[];
  services: JsonUnit[];
  warnings: string[];
}
export interface JsonFinding {
  host: string;
  unit: string;
  kind: string;
  severity: string;
  result: string | null;
  cause?: { id: string };
  evidence?: { journalAccess: string; entries: { message: string }[]; note: string | null };
}
export interface JsonReport {
  hosts: JsonHost[];
  findings: JsonFinding[];
  summary: { hostsTotal: number; hostsAudited: number; hostsUnknown: number; findings: number; unknownByReason: Record<string, number> };
}

const show = (value: unknown): string => (value instanceof RegExp ? String(value) : JSON.stringify(value));

function matches(pattern: UnitPattern, unit: string): boolean {
  return typeof pattern === 'string' ? pattern === unit : pattern.test(unit);
}

/** Problems of one field: `prefix: field: expected X, got Y`. */
function field(out: string[], prefix: string, name: string, expected: unknown, got: unknown): void {
  if (JSON.stringify(expected) !== JSON.stringify(got)) out.push(`${prefix}: ${name}: expected ${show(expected)}, got ${show(got)}`);
}

/** Each pattern must match exactly one entry, and no entry may be left over. */
function comparePatterns(out: string[], prefix: string, name: string, expected: UnitPattern[], got: string[]): void {
  const left = [...got];
  const unmatched: UnitPattern[] = [];
  for (const p of expected) {
    const i = left.findIndex((u) => matches(p, u));
    if (i < 0) unmatched.push(p);
    else left.splice(i, 1);
  }
  if (unmatched.length > 0 || left.length > 0) {
    out.push(`${prefix}: ${name}: expected [${expected.map(show).join(', ')}], got ${show(got)}`);
  }
}

function compareSocket(out: string[], host: string, truth: SocketTruth, got: JsonSocket): void {
  const p = `${host}: ${truth.unit}`;
  const before = out.length;
  field(out, p, 'load', truth.load, got.load);
  field(out, p, 'active', truth.active, got.active);
  field(out, p, 'sub', truth.sub, got.sub);
  field(out, p, 'result', truth.result, got.result);
  field(out, p, 'listen', truth.listen, got.listen.map((l) => ({ type: l.type, address: l.address })));
  comparePatterns(out, p, 'triggers', truth.triggers, got.triggers);
  if (truth.accept !== undefined) field(out, p, 'accept', truth.accept, got.accept);
  if (truth.counters !== undefined) {
    field(out, p, 'nAccepted/nConnections/nRefused', truth.counters, { nAccepted: got.nAccepted, nConnections: got.nConnections, nRefused: got.nRefused });
  }
  if (out.length > before) out.push(`${p}: (scenario: ${truth.how})`);
}

function compareServices(out: string[], host: string, truths: ServiceTruth[], got: JsonUnit[]): void {
  for (const t of truths) {
    const found = got.filter((s) => matches(t.unit, s.unit));
    const want = t.count ?? 1;
    if (found.length !== want) {
      out.push(`${host}: service ${show(t.unit)}: expected ${want} unit(s), got ${found.length}${found.length > 0 ? ` (${found.map((s) => s.unit).join(', ')})` : ''}`);
      continue;
    }
    for (const s of found) {
      field(out, `${host}: ${s.unit}`, 'load/active/sub (result)', `${t.load}/${t.active}/${t.sub} (${t.result})`, `${s.load}/${s.active}/${s.sub} (${s.result})`);
    }
  }
}

/** Every difference between one host's report and its expectation; [] when they agree. */
export function compareHost(exp: HostExpectation, got: JsonHost | undefined): string[] {
  const out: string[] = [];
  const p = exp.name;
  if (got === undefined) return [`${p}: missing from the report (${exp.why})`];
  field(out, p, 'address', exp.address, got.address);
  field(out, p, 'user', exp.user, got.user);
  if (exp.status === 'unknown') {
    if (got.status !== 'unknown') {
      out.push(`${p}: status: expected unknown (${exp.reason}: ${exp.why}), got ${got.status}`);
      return out;
    }
    field(out, p, 'reason', exp.reason, got.reason);
    if (typeof got.detail !== 'string' || got.detail.trim() === '') out.push(`${p}: detail: expected a message, got ${show(got.detail)}`);
    field(out, p, 'sockets', [], got.sockets);
    if (out.length > 0) out.push(`${p}: (definition: ${exp.why}; detail: ${got.detail ?? '-'})`);
    return out;
  }
  if (got.status !== 'audited') {
    out.push(`${p}: status: expected audited (${exp.why}), got ${got.status} (${got.reason ?? '?'}: ${got.detail ?? ''})`);
    return out;
  }
  field(out, p, 'systemdVersion', exp.systemdVersion, got.systemdVersion);
  const text = got.systemdVersionText ?? '';
  if (!text.startsWith(`systemd ${exp.systemdVersion} (${exp.systemdVersion}.`)) {
    out.push(`${p}: systemdVersionText: expected "systemd ${exp.systemdVersion} (${exp.systemdVersion}.…)", got ${show(got.systemdVersionText)}`);
  }
  field(out, p, 'systemState', exp.systemState, got.systemState);
  if (!journalAccessReported[exp.journal].includes(got.journalAccess ?? '')) {
    out.push(`${p}: journalAccess: expected ${journalAccessReported[exp.journal].map(show).join(' or ')} (${exp.journal}), got ${show(got.journalAccess)}`);
  }
  field(out, p, 'warnings', [], got.warnings);
  const seen = new Map<string, number>();
  for (const s of got.sockets) seen.set(s.unit, (seen.get(s.unit) ?? 0) + 1);
  for (const [unit, n] of seen) if (n > 1) out.push(`${p}: ${unit}: listed ${n} times`);
  for (const truth of exp.sockets) {
    const s = got.sockets.find((x) => x.unit === truth.unit);
    if (s === undefined) out.push(`${p}: ${truth.unit}: missing (scenario: ${truth.how})`);
    else compareSocket(out, p, truth, s);
  }
  for (const unit of exp.absent) if (seen.has(unit)) out.push(`${p}: ${unit}: must not be listed as a socket`);
  compareServices(out, p, exp.services, got.services);
  return out;
}

const findingKey = (f: { host: string; unit: string; kind: string }): string => `${f.host} ${f.unit} ${f.kind}`;

function compareFinding(out: string[], exp: ExpectedFinding, got: JsonFinding): void {
  const p = `finding ${findingKey(exp)}`;
  field(out, p, 'severity', exp.severity, got.severity);
  field(out, p, 'result', exp.result, got.result);
  field(out, p, 'cause', exp.cause, got.cause?.id);
  const evidence = got.evidence;
  if (!journalAccessReported[exp.journalAccess].includes(evidence?.journalAccess ?? '')) {
    out.push(`${p}: evidence.journalAccess: expected ${journalAccessReported[exp.journalAccess].map(show).join(' or ')}, got ${show(evidence?.journalAccess)}`);
  }
  const messages = evidence?.entries.map((e) => e.message) ?? [];
  if (exp.journalAccess === 'no-access' && messages.length > 0) {
    out.push(`${p}: evidence: expected no journal lines (the login cannot read the system journal), got ${show(messages.slice(0, 3))}`);
  }
  if (exp.journal !== null && !messages.some((m) => exp.journal?.test(m))) {
    out.push(`${p}: evidence: expected a journal line matching ${String(exp.journal)}, got ${messages.length === 0 ? `none (note: ${evidence?.note ?? '-'})` : show(messages.slice(-5))}`);
  }
}

/**
 * The findings must be exactly the expected ones — none missing, none extra, none twice — and
 * each must carry the expected severity, Result, cause and journal evidence.
 */
export function compareFindings(expected: ExpectedFinding[], got: JsonFinding[]): string[] {
  const out: string[] = [];
  const have = got.map(findingKey);
  for (const e of expected) {
    const found = got.filter((f) => findingKey(f) === findingKey(e));
    if (found.length === 0) out.push(`missing finding: ${findingKey(e)} (${e.severity}, ${e.result}, cause ${e.cause})`);
    else compareFinding(out, e, found[0] as JsonFinding);
  }
  const want = new Set(expected.map(findingKey));
  for (const f of got) if (!want.has(findingKey(f))) out.push(`unexpected finding: ${findingKey(f)} (${f.severity}, ${f.result ?? 'null'}, cause ${f.cause?.id ?? '-'})`);
  for (const k of new Set(have)) {
    const n = have.filter((x) => x === k).length;
    if (n > 1) out.push(`finding reported ${n} times: ${k}`);
  }
  return out;
}

/** Hosts: each expected host exactly once, in inventory order, nothing else. */
export function compareHostList(exp: FleetExpectation, report: JsonReport): string[] {
  const want = exp.hosts.map((h) => h.name);
  const have = report.hosts.map((h) => h.name);
  if (JSON.stringify(want) === JSON.stringify(have)) return [];
  const out = [`hosts: expected ${want.length} in inventory order [${want.join(', ')}], got ${have.length} [${have.join(', ')}]`];
  for (const n of want) if (!have.includes(n)) out.push(`hosts: ${n} is missing`);
  for (const n of have) if (!want.includes(n)) out.push(`hosts: ${n} is not in the fleet`);
  for (const n of new Set(have)) if (have.filter((x) => x === n).length > 1) out.push(`hosts: ${n} appears more than once`);
  return out;
}

/** Everything at once: the list of hosts, each host, the findings, the summary counts. */
export function compareReport(exp: FleetExpectation, report: JsonReport): string[] {
  const byName = new Map(report.hosts.map((h) => [h.name, h]));
  const out = compareHostList(exp, report);
  for (const h of exp.hosts) out.push(...compareHost(h, byName.get(h.name)));
  out.push(...compareFindings(exp.findings, report.findings));
  const s = report.summary;
  field(out, 'summary', 'hosts total/audited/unknown/findings', [exp.summary.hostsTotal, exp.summary.hostsAudited, exp.summary.hostsUnknown, exp.summary.findings], [s.hostsTotal, s.hostsAudited, s.hostsUnknown, s.findings]);
  const sortKeys = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  field(out, 'summary', 'unknownByReason', sortKeys(exp.summary.unknownByReason), sortKeys(s.unknownByReason));
  return out;
}
