// The probe's evidence sections → journal access state and one excerpt per problem socket.
//
//   journal-plan            SOCKET<TAB>SINCE-EPOCH|-<TAB>UNIT…   (one line per problem socket)
//   journal-access          `journalctl=yes|no`; rc and stderr of `journalctl --no-pager -n 0`
//   journal:SOCKET          `journalctl -q -o json … -u SOCKET -u UNIT…` stdout, capped
//
// Access is read from journalctl's own words, never from empty output (see JournalAccess).
import type { JournalAccess, JournalExcerpt } from '../model/types.js';
import { parseJournalJson } from './journal-json.js';
import { journalLimits, journalSkippedRc } from './probe-script.js';
import { splitLines, type Section } from './sections.js';

export interface JournalEvidence {
  access: JournalAccess;
  accessDetail: string | null;
  excerpts: JournalExcerpt[];
  warnings: string[];
}

interface PlanLine {
  socket: string;
  since: string | null;
  units: string[];
}

// 247 wraps stderr lines in ANSI colour even with SYSTEMD_COLORS=0 (seen in the lab captures).
// eslint-disable-next-line no-control-regex
const ansiRe = /\u001b\[[0-9;?]*[A-Za-z]/g;

function stderrLines(sections: ReadonlyMap<string, Section>, name: string): string[] {
  const text = sections.get(`${name}.stderr`)?.content ?? '';
  return splitLines(text.replace(ansiRe, ''))
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

function parsePlan(content: string, warnings: string[]): PlanLine[] {
  const plan: PlanLine[] = [];
  for (const line of splitLines(content)) {
    const [socket, since, ...units] = line.split('\t');
    if (socket === undefined || socket === '' || since === undefined) {
      if (line.trim() !== '') warnings.push(`journal plan line not understood: ${JSON.stringify(line.slice(0, 120))}`);
      continue;
    }
    const epoch = /^\d{1,12}$/.test(since) ? Number(since) : null;
    plan.push({ socket, since: epoch === null ? null : new Date(epoch * 1000).toISOString(), units: units.filter((u) => u !== '') });
  }
  return plan;
}

const noneRe = /No journal files were opened due to insufficient permissions|Unprivileged users cannot access messages/;
const partialRe = /Hint: You are currently not seeing messages from/;
const noJournalRe = /No journal files were found/;

/** Classify journalctl's answer to `journalctl --no-pager -n 0` (or to one excerpt run). */
export function classifyAccess(rc: number, stderr: readonly string[]): { access: JournalAccess; detail: string | null } {
  const find = (re: RegExp): string | undefined => stderr.find((l) => re.test(l));
  const none = find(noneRe);
  if (none !== undefined) return { access: 'none', detail: none };
  const partial = find(partialRe);
  if (partial !== undefined) return { access: 'partial', detail: partial };
  const empty = find(noJournalRe);
  if (empty !== undefined) return { access: 'no-journal', detail: empty };
  if (rc === 124 || rc === 137) return { access: 'unavailable', detail: `journalctl timed out (exit ${rc})` };
  if (rc !== 0) return { access: 'unavailable', detail: `journalctl exited with ${rc}${stderr[0] === undefined ? '' : `: ${stderr[0].slice(0, 200)}`}` };
  return { access: 'full', detail: null };
}

function excerptFor(line: PlanLine, sections: ReadonlyMap<string, Section>, warnings: string[]): JournalExcerpt {
  const name = `journal:${line.socket}`;
  const section = sections.get(name);
  const base = { socket: line.socket, units: line.units, since: line.since };
  if (section === undefined) {
    warnings.push(`journal excerpt for ${line.socket} is missing from the probe output`);
    return { ...base, entries: [], skippedLines: 0, truncated: false, error: 'missing from the probe output' };
  }
  if (section.rc === journalSkippedRc) {
    return { ...base, entries: [], skippedLines: 0, truncated: false, error: `skipped: the probe's ${journalLimits.budgetSeconds} s journal budget was spent` };
  }
  const parsed = parseJournalJson(section.content, journalLimits.lines);
  // dd cut the output at the byte cap: the last line is likely a fragment (counted as skipped).
  const truncated = Buffer.byteLength(section.content, 'utf8') >= journalLimits.bytes || parsed.skipped > 0;
  const err = stderrLines(sections, name);
  const error = section.rc === 0 ? null : `exit ${section.rc}${err[0] === undefined ? '' : `: ${err[0].slice(0, 200)}`}`;
  return { ...base, entries: parsed.entries, skippedLines: parsed.skipped, truncated, error };
}

export function parseJournalEvidence(sections: ReadonlyMap<string, Section>): JournalEvidence {
  const warnings: string[] = [];
  const planSection = sections.get('journal-plan');
  if (planSection === undefined) return { access: 'not-collected', accessDetail: null, excerpts: [], warnings };
  const plan = parsePlan(planSection.content, warnings);
  if (plan.length === 0) return { access: 'not-needed', accessDetail: null, excerpts: [], warnings };

  const accessSection = sections.get('journal-access');
  let access: JournalAccess;
  let accessDetail: string | null;
  if (accessSection === undefined) {
    [access, accessDetail] = ['unavailable', 'the probe output ends before the journal access check'];
  } else if (/journalctl=no/.test(accessSection.content)) {
    [access, accessDetail] = ['unavailable', 'journalctl is not installed'];
  } else {
    ({ access, detail: accessDetail } = classifyAccess(accessSection.rc, stderrLines(sections, 'journal-access')));
  }
  const excerpts = access === 'unavailable' && accessSection?.rc === 127 ? [] : plan.map((line) => excerptFor(line, sections, warnings));
  // An excerpt run can say what the access check did not (a journal rotated away, a lost ACL).
  if (access === 'full') {
    for (const excerpt of excerpts) {
      const verdict = classifyAccess(0, stderrLines(sections, `journal:${excerpt.socket}`));
      if (verdict.access === 'none' || verdict.access === 'partial') [access, accessDetail] = [verdict.access, verdict.detail];
    }
  }
  return { access, accessDetail, excerpts, warnings };
}
