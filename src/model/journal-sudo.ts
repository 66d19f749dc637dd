// The words and the fix for a journal read through `sudo -n` that sudo refused (JournalAccess
// `sudo-required`). The probe keeps sudo's own words and the journalctl it asked sudo to run in
// the host's journalAccessDetail; every renderer derives its sentence and the sudoers line from
// that one string, so a saved JSON report re-renders exactly the same advice.
import { shellQuote } from './shell-quote.js';
import type { NextStep } from './types.js';

/** The path Debian 12, RHEL 8+ and every merged-/usr host install journalctl at. */
const usualJournalctl = '/usr/bin/journalctl';

/** The sudoers drop-in the suggested fix writes (no dot in the name: sudo skips such files). */
export const sudoersDropIn = '/etc/sudoers.d/sockaudit';

/** `sudo: a password is required (sudo -n /usr/bin/journalctl)`: sudo's words, then what was run. */
export function sudoRefusalDetail(words: string, journalctl: string): string {
  return `${words} (sudo -n ${journalctl})`;
}

/**
 * The journalctl a detail says sudo was asked to run: a sudoers rule must name that exact path
 * (/bin/journalctl on hosts without merged /usr). Anything but a plain absolute path (the detail
 * comes from the host) falls back to the usual one.
 */
export function sudoJournalctlPath(detail: string | null | undefined): string {
  return /\(sudo -n (\/[A-Za-z0-9._/+-]{1,200})\)$/.exec(detail ?? '')?.[1] ?? usualJournalctl;
}

/** `Defaults requiretty` (old RHEL/CentOS sudoers): sudo refuses any session without a terminal. */
function wantsTerminal(detail: string): boolean {
  return /must have a tty|requiretty/i.test(detail);
}

/** What sudo wants, in a few words, from its own words. */
export function sudoRefusalSummary(detail: string | null | undefined): string {
  const words = detail ?? '';
  if (wantsTerminal(words)) return 'sudo requires a terminal (requiretty)';
  if (/not in the sudoers|not allowed to execute|may not run sudo/i.test(words)) return 'sudo does not let this user run journalctl';
  return 'sudo needs a password';
}

/** `journal not read: sudo needs a password (sudo -n)`: the evidence note of such a host. */
export function sudoRequiredNote(detail: string | null | undefined): string {
  return `journal not read: ${sudoRefusalSummary(detail)} (sudo -n)`;
}

/**
 * The login as a sudoers User_List item. An ordinary name goes in as is; anything else
 * (sudoers metacharacters, a leading `%` or `#` that would name a group or a uid, an all-caps
 * word that sudoers reads as an alias, `ALL` among them) becomes the placeholder USER, which
 * the step's label asks to replace: never a rule for someone else.
 */
function sudoersUser(user: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/.test(user) && !/^[A-Z][A-Z0-9_]*$/.test(user) ? user : 'USER';
}

/** The sudoers lines that let `user` run journalctl through `sudo -n` (read-only: journalctl). */
export function sudoersLines(user: string, detail: string | null | undefined): string[] {
  const name = sudoersUser(user);
  const rule = `${name} ALL=(root) NOPASSWD: ${sudoJournalctlPath(detail)}`;
  return wantsTerminal(detail ?? '') ? [`Defaults:${name} !requiretty`, rule] : [rule];
}

/**
 * The next step that fixes it, as a command to paste on the host: write the drop-in, make it
 * 0440 (visudo -c calls a 0644 drop-in bad permissions), then let visudo check the whole policy.
 * The lines are shell-quoted: the path and name came from a host and an inventory.
 */
export function sudoersStep(user: string, detail: string | null | undefined): NextStep {
  const lines = sudoersLines(user, detail);
  const placeholder = sudoersUser(user) === 'USER' ? ' (replace USER with the login name)' : '';
  const write = lines.length === 1 ? `echo ${shellQuote(lines[0] ?? '')}` : `printf '%s\\n' ${lines.map(shellQuote).join(' ')}`;
  return {
    label: `Let ${sudoersUser(user)} read the journal through sudo -n without a password${placeholder}`,
    command: `${write} | sudo tee ${sudoersDropIn} >/dev/null && sudo chmod 0440 ${sudoersDropIn} && sudo visudo -c`,
  };
}
