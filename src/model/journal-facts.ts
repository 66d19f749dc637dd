// Facts read from journal entries: which errno a bind failed with, how a service's main process
// exited, what the daemon itself printed last. Structured fields first (ERRNO=, UNIT_RESULT=,
// MESSAGE_ID=), message text only as a fallback: systemd's messages are stable across 219…257
// but field support is not (UNIT_RESULT= exists from 240).
import type { JournalEntry } from './types.js';

/** MESSAGE_IDs from systemd's catalog that matter here. */
export const messageIds = {
  unitFailedWithResult: 'd9b373ed55a64feb8242e02dbe79a49c',
  unitProcessExit: '98e322203f7a4ed290d09fe03c09fe15',
  unitFailed: 'be02cf6855d2428ba40df7e9d022f03d',
  unitStarted: '39f53479d3a045ac8e11786248231fbf',
  coredump: 'fc2e22bc6ee647b6b90729ab34a250b1',
} as const;

export type BindProblem = 'port-in-use' | 'address-not-available' | 'permission-denied';

const errnoProblems: Record<number, BindProblem> = {
  98: 'port-in-use', // EADDRINUSE
  99: 'address-not-available', // EADDRNOTAVAIL
  13: 'permission-denied', // EACCES
  1: 'permission-denied', // EPERM
};

const textProblems: Array<[RegExp, BindProblem]> = [
  [/Address already in use/i, 'port-in-use'],
  [/Cannot assign requested address/i, 'address-not-available'],
  [/Permission denied|Operation not permitted/i, 'permission-denied'],
];

export function entriesOf(entries: readonly JournalEntry[], unit: string): JournalEntry[] {
  return entries.filter((e) => e.unit === unit);
}

/** The newest bind/listen problem among the entries: from ERRNO= if present, else the text. */
export function bindProblem(entries: readonly JournalEntry[]): { problem: BindProblem; entry: JournalEntry; basis: 'journal-errno' | 'journal-text' } | null {
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (entry === undefined) continue;
    const byErrno = entry.errno === undefined ? undefined : errnoProblems[entry.errno];
    if (byErrno !== undefined) return { problem: byErrno, entry, basis: 'journal-errno' };
  }
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (entry === undefined) continue;
    for (const [re, problem] of textProblems) if (re.test(entry.message)) return { problem, entry, basis: 'journal-text' };
  }
  return null;
}

/** `UNIT_RESULT=` of the newest "Failed with result" line (240+), else parsed from its text. */
export function journalUnitResult(entries: readonly JournalEntry[]): { result: string; basis: 'journal-message-id' | 'journal-text' } | null {
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (entry === undefined) continue;
    if (entry.unitResult !== undefined && entry.unitResult !== '') return { result: entry.unitResult, basis: 'journal-message-id' };
    const m = /Failed with result '([a-z-]+)'/.exec(entry.message);
    if (m?.[1] !== undefined) return { result: m[1], basis: 'journal-text' };
  }
  return null;
}

export function newestMatching(entries: readonly JournalEntry[], re: RegExp): JournalEntry | null {
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (entry !== undefined && re.test(entry.message)) return entry;
  }
  return null;
}

/** `code=exited, status=3/NOTIMPLEMENTED` from the newest "Main process exited" line. */
export function mainExitText(entries: readonly JournalEntry[]): string | null {
  const entry = newestMatching(entries, /Main process exited, /);
  const m = entry === null ? null : /Main process exited, (code=\S+, status=\S+)/.exec(entry.message);
  return m?.[1]?.replace(/\.$/, '') ?? null;
}

/** How many times the main process exited within the excerpt. */
export function exitCount(entries: readonly JournalEntry[]): number {
  return entries.filter((e) => e.messageId === messageIds.unitProcessExit || /Main process exited, /.test(e.message)).length;
}

/** A control process (ExecStartPre/Post, ExecStop…) failed: "Control process exited, code=exited, status=1/FAILURE". */
export function controlProcessFailure(entries: readonly JournalEntry[]): JournalEntry | null {
  return newestMatching(entries, /Control process exited, code=(?!exited, status=0\b)/);
}

/**
 * The daemon's own last output lines (not PID 1's messages about it), newest last, at most
 * `max`, each cut to 160 characters.
 */
export function lastOwnOutput(entries: readonly JournalEntry[], max = 3): string[] {
  const own = entries.filter((e) => e.identifier !== 'systemd' && e.pid !== 1 && e.message.trim() !== '');
  const out: string[] = [];
  for (let i = own.length - 1; i >= 0 && out.length < max; i--) {
    const text = own[i]?.message.trim() ?? '';
    const line = text.length > 160 ? `${text.slice(0, 159)}…` : text;
    if (!out.includes(line)) out.unshift(line);
  }
  return out;
}
