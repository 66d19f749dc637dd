// The probe's evidence sections → journal access state and one excerpt per problem socket.
//
//   journal-plan            SOCKET<TAB>SINCE-EPOCH|-<TAB>UNIT…   (one line per problem socket)
//   journal-access          `journalctl=yes|no`, with journal_sudo also `sudo=yes PATH|no|root`;
//                           rc and stderr of `[sudo -n] journalctl --no-pager -n 0`
//   journal:SOCKET          `[sudo -n] journalctl -q -o json … -u SOCKET -u UNIT…` stdout, capped
//
// Access is read from journalctl's own words, never from empty output (see JournalAccess), and
// through sudo from sudo's own words: sudo prefixes them with "sudo: ", journalctl never does.
import { sudoRefusalDetail, sudoRequiredNote } from '../model/journal-sudo.js';
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

// sudo's own lines: "sudo: a password is required", "Sorry, user bob is not allowed to execute
// …", "bob is not in the sudoers file.  This incident will be reported.".
const sudoWordsRe = /^sudo: |^Sorry, user | is not in the sudoers file/;
// A warning printed before the command runs anyway (a host name missing from /etc/hosts).
const sudoWarningRe = /unable to resolve host/;
// Refusals that a sudoers rule fixes: a password or a terminal wanted (-n refuses to ask; the
// tty forms come from sudo before 1.8.x's -n handling and from `Defaults requiretty`), and a
// policy that does not grant journalctl. Any other sudo failure ("no new privileges" flag,
// nosuid, PAM account errors) is sudo unable to elevate: `unavailable`, in sudo's words.
const sudoRefusedRe = /a password is required|a terminal is required|no tty present|must have a tty|not in the sudoers file|not allowed to execute|may not run sudo/;

type SudoVerdict = { access: JournalAccess; detail: string } | null;

/**
 * What sudo said, for a probe that read the journal through it: null when it did not, or when
 * sudo let journalctl run (then journalctl's own words decide as without sudo).
 */
function sudoVerdict(accessSection: Section | undefined, sections: ReadonlyMap<string, Section>): SudoVerdict {
  const line = splitLines(accessSection?.content ?? '').find((l) => l.startsWith('sudo='));
  if (accessSection === undefined || line === undefined) return null;
  const [state = '', path = ''] = line.slice('sudo='.length).split(' ');
  // sudo missing is `unavailable`, not `sudo-required`: no sudoers rule fixes it (install sudo,
  // or drop journal_sudo and put the login in systemd-journal), and `unavailable` already means
  // "journalctl could not be run" in every report, with this detail saying why.
  if (state === 'no') return { access: 'unavailable', detail: 'sudo is not installed, and this host reads the journal through sudo -n (journal_sudo)' };
  if (state !== 'yes' || accessSection.rc === 0) return null;
  const said = stderrLines(sections, 'journal-access').filter((l) => sudoWordsRe.test(l) && !sudoWarningRe.test(l));
  if (said.length === 0) return null;
  const words = said.join(' ').slice(0, 300);
  const journalctl = path.startsWith('/') ? path.slice(0, 200) : 'journalctl';
  const refused = said.some((l) => sudoRefusedRe.test(l));
  return refused
    ? { access: 'sudo-required', detail: sudoRefusalDetail(words, journalctl) }
    : { access: 'unavailable', detail: `sudo could not run journalctl: ${sudoRefusalDetail(words, journalctl)}` };
}

/** Journal stderr without sudo's warnings, which say nothing about journal access. */
function journalStderr(sections: ReadonlyMap<string, Section>, name: string): string[] {
  return stderrLines(sections, name).filter((l) => !(sudoWordsRe.test(l) && sudoWarningRe.test(l)));
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
  const err = journalStderr(sections, name);
  const error = section.rc === 0 ? null : `exit ${section.rc}${err[0] === undefined ? '' : `: ${err[0].slice(0, 200)}`}`;
  return { ...base, entries: parsed.entries, skippedLines: parsed.skipped, truncated, error };
}

export function parseJournalEvidence(sections: ReadonlyMap<string, Section>): JournalEvidence {
  const warnings: string[] = [];
  const planSection = sections.get('journal-plan');
  if (planSection === undefined) return { access: 'not-collected', accessDetail: null, excerpts: [], warnings };
  const plan = parsePlan(planSection.content, warnings);
  const accessSection = sections.get('journal-access');
  const sudo = sudoVerdict(accessSection, sections);
  // With journal_sudo, sudo is asked even when nothing needs evidence: a refusal is news now.
  if (plan.length === 0) return { access: sudo?.access ?? 'not-needed', accessDetail: sudo?.detail ?? null, excerpts: [], warnings };

  let access: JournalAccess;
  let accessDetail: string | null;
  if (accessSection === undefined) {
    [access, accessDetail] = ['unavailable', 'the probe output ends before the journal access check'];
  } else if (/journalctl=no/.test(accessSection.content)) {
    [access, accessDetail] = ['unavailable', 'journalctl is not installed'];
  } else if (sudo !== null) {
    // The probe read no excerpt after sudo refused: each says so (as a skipped excerpt does).
    // (sudo missing: nothing was planned to run, as when journalctl is missing, exit 127.)
    const error = sudo.access === 'sudo-required' ? sudoRequiredNote(sudo.detail) : 'journal not read: sudo could not run journalctl';
    const excerpts = accessSection.rc === 127 ? [] : plan.map((line) => ({ socket: line.socket, units: line.units, since: line.since, entries: [], skippedLines: 0, truncated: false, error }));
    return { access: sudo.access, accessDetail: sudo.detail, excerpts, warnings };
  } else {
    ({ access, detail: accessDetail } = classifyAccess(accessSection.rc, journalStderr(sections, 'journal-access')));
  }
  const excerpts = access === 'unavailable' && accessSection?.rc === 127 ? [] : plan.map((line) => excerptFor(line, sections, warnings));
  // An excerpt run can say what the access check did not (a journal rotated away, a lost ACL).
  if (access === 'full') {
    for (const excerpt of excerpts) {
      const verdict = classifyAccess(0, journalStderr(sections, `journal:${excerpt.socket}`));
      if (verdict.access === 'none' || verdict.access === 'partial') [access, accessDetail] = [verdict.access, verdict.detail];
    }
  }
  return { access, accessDetail, excerpts, warnings };
}
