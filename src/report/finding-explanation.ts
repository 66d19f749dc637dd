// The "why" of a finding as every renderer shows it: its cause (the catalogue's title and
// explanation plus this finding's facts), the journal lines that prove it (or why there are
// none), and the commands to run next. Renderers read the model's fields only through here.
import { findingKinds } from '../model/finding-kinds.js';
import { sudoersStep, sudoRequiredNote } from '../model/journal-sudo.js';
import type { CauseBasis, Finding, FleetReport, HostReport, JournalAccess, JournalEntry, NextStep, Severity } from '../model/types.js';

export interface CauseView {
  /** Stable id from the model's closed catalogue (`port-in-use`, …, `unknown`). */
  id: string;
  title: string;
  /** This finding's facts in one line. */
  detail: string;
  /** The catalogue's paragraph about the cause; null if the report lacks it. */
  explanation: string | null;
  severity: Severity;
  basis: CauseBasis;
}

export interface EvidenceView {
  journalAccess: JournalAccess;
  /** Why lines may be missing (no access, not collected, cut); null when nothing to say. */
  note: string | null;
  entries: JournalEntry[];
}

export interface FindingExplanation {
  /** What is wrong, in the kind catalogue's words (`Socket unit failed`). */
  kindTitle: string;
  cause: CauseView;
  evidence: EvidenceView;
  nextSteps: NextStep[];
  /** The kind's general advice: shown where there are no concrete next steps. */
  hint: string;
}

/**
 * The finding's "why". With its host at hand, a journal that sudo -n would not read is said
 * plainly (whatever note the finding carries) and its fix, the sudoers line, ends the steps.
 */
export function explainFinding(finding: Finding, report: Pick<FleetReport, 'causes'>, host?: Pick<HostReport, 'user' | 'journalAccessDetail'>): FindingExplanation {
  const kind = findingKinds[finding.kind];
  const { cause, evidence } = finding;
  const sudo = evidence.journalAccess === 'sudo-required' && evidence.entries.length === 0;
  const detail = host?.journalAccessDetail ?? null;
  return {
    kindTitle: kind.title,
    cause: { id: cause.id, title: cause.title, detail: cause.detail, explanation: report.causes[cause.id]?.explanation ?? null, severity: cause.severity, basis: cause.basis },
    evidence: { journalAccess: evidence.journalAccess, note: sudo ? `${sudoRequiredNote(detail)}${detail === null ? '' : `: ${detail}`}` : evidence.note, entries: evidence.entries },
    nextSteps: sudo && host !== undefined ? withStep(finding.nextSteps, sudoersStep(host.user, detail)) : finding.nextSteps,
    hint: kind.hint,
  };
}

/** The steps with one more at the end, unless the finding already has it (a newer assess adds it). */
function withStep(steps: readonly NextStep[], step: NextStep): NextStep[] {
  return steps.some((s) => s.command === step.command) ? [...steps] : [...steps, step];
}

/** What to group and count findings by: the cause. */
export function causeKey(explanation: FindingExplanation): { id: string; label: string } {
  return { id: explanation.cause.id, label: explanation.cause.title };
}

const priorities = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];

/** `2026-11-28T09:13:00.000Z shop-api.socket err: Failed to create listening socket …` */
export function formatJournalEntry(entry: JournalEntry): string {
  const priority = entry.priority === null ? '' : ` ${priorities[entry.priority] ?? entry.priority}`;
  return `${entry.time ?? '-'} ${entry.unit === '' ? (entry.identifier ?? '-') : entry.unit}${priority}: ${entry.message}`;
}
