// The gate of a run from the command line: --policy, --baseline, --warn-before-days, and
// --fail-on / --max-unknown, which win over the policy file's thresholds, which win over a
// saved run's (for `sockaudit report`) and the defaults. Files are read and checked here, so a
// bad policy or baseline is exit 2 before any host is contacted.
import { ConfigError } from '../model/config-error.js';
import { defaultGatePolicy } from '../model/exit-code.js';
import type { FleetReport, GatePolicy, GateSummary } from '../model/types.js';
import type { GateInput } from '../policy/apply-gate.js';
import { baselineFrom, type Baseline } from '../policy/baseline.js';
import { calendarDay, isCalendarDay } from '../policy/calendar-day.js';
import { loadPolicy } from '../policy/load-policy.js';
import { defaultWarnBeforeDays, type Policy } from '../policy/policy-types.js';
import { gateNotes } from '../report/gate-text.js';
import type { CliIo } from './cli-io.js';
import { parseMaxUnknown, parseSeverity } from './flags.js';
import { readSavedReport } from './saved-report.js';

/** Which of --fail-on / --max-unknown the user typed (commander fills in defaults for the rest). */
export interface ExplicitGateFlags {
  maxUnknown: boolean;
  failOn: boolean;
}

export interface GateFlags {
  maxUnknown: string;
  failOn: string;
  policy?: string;
  baseline?: string;
  warnBeforeDays?: string;
  /** Absent (programmatic callers): both flags count as typed. */
  explicit?: ExplicitGateFlags;
}

/**
 * TEST ONLY: `SOCKAUDIT_NOW=2026-12-01` (or an ISO 8601 instant) sets the day waivers are
 * checked against, so tests can move past an expiry. Not a feature: a CI job should never set it.
 */
export function auditDay(env: NodeJS.ProcessEnv): string {
  const text = env.SOCKAUDIT_NOW;
  if (text === undefined || text === '') return calendarDay(new Date());
  if (isCalendarDay(text)) return text;
  const date = new Date(text);
  if (/^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(date.getTime())) return calendarDay(date);
  throw new ConfigError({ path: 'SOCKAUDIT_NOW', message: `expected a date YYYY-MM-DD or an ISO 8601 time, got ${JSON.stringify(text)}`, hint: 'it is for tests only: unset it' });
}

function parseDays(value: string): number {
  if (/^\d+$/.test(value) && Number(value) <= 3650) return Number(value);
  throw new ConfigError({ path: '--warn-before-days', message: `expected a number of days 0–3650, got "${value}"` });
}

async function readBaseline(file: string): Promise<Baseline> {
  const hint = 'the baseline is the JSON (or JSONL) report of an earlier run: sockaudit audit -f json -o run.json';
  return baselineFrom(await readSavedReport(file, { what: 'the baseline', hint, path: '--baseline' }), file);
}

function thresholds(flags: GateFlags, policy: Policy | null, saved: GatePolicy | undefined): GatePolicy {
  // A new policy file replaces the saved run's thresholds whole; flags win over both.
  const base: GatePolicy = policy === null ? (saved ?? defaultGatePolicy) : { ...defaultGatePolicy, ...policy.thresholds };
  const explicit = flags.explicit ?? { maxUnknown: true, failOn: true };
  return {
    ...base,
    ...(explicit.maxUnknown ? { maxUnknown: parseMaxUnknown(flags.maxUnknown) } : {}),
    ...(explicit.failOn ? { failOn: parseSeverity(flags.failOn) } : {}),
  };
}

/**
 * Everything the gate needs, read and validated. `saved` is the gate a saved report was
 * written with (`sockaudit report`): what the command line does not replace is kept.
 */
export async function prepareGate(flags: GateFlags, io: CliIo, saved?: GateSummary): Promise<GateInput> {
  const today = auditDay(io.env);
  const warnFlag = flags.warnBeforeDays === undefined ? undefined : parseDays(flags.warnBeforeDays);
  // Flag values first: a typo in --fail-on must not wait for a file to be read.
  thresholds(flags, null, undefined);
  const policy = flags.policy === undefined ? null : await loadPolicy(flags.policy, { env: io.env });
  const baseline = flags.baseline === undefined ? null : await readBaseline(flags.baseline);
  return {
    thresholds: thresholds(flags, policy, saved?.thresholds),
    policy,
    baseline,
    today,
    warnBeforeDays: warnFlag ?? policy?.warnBeforeDays ?? saved?.warnBeforeDays ?? defaultWarnBeforeDays,
  };
}

/** Expiring and expired waivers, stale ones and idle requirements, on stderr (results stay on stdout). */
export function writeGateNotes(report: FleetReport, io: CliIo): void {
  if (report.gate === undefined) return;
  for (const note of gateNotes(report.gate)) io.stderr.write(`sockaudit: ${note.level}: ${note.text}\n`);
}
