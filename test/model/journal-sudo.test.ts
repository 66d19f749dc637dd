// The wording and the sudoers fix every report gives for a journal that sudo -n would not read.
import { describe, expect, it } from 'vitest';
import { sudoersLines, sudoersStep, sudoJournalctlPath, sudoRefusalSummary, sudoRequiredNote } from '../../src/model/journal-sudo.js';

describe('journal not read through sudo -n', () => {
  it.each([
    ['sudo: a password is required (sudo -n /usr/bin/journalctl)', 'journal not read: sudo needs a password (sudo -n)'],
    ['sudo: sorry, you must have a tty to run sudo (sudo -n /usr/bin/journalctl)', 'journal not read: sudo requires a terminal (requiretty) (sudo -n)'],
    ["Sorry, user ops is not allowed to execute '/usr/bin/journalctl --no-pager -n 0' as root on db-2. (sudo -n /usr/bin/journalctl)", 'journal not read: sudo does not let this user run journalctl (sudo -n)'],
    [null, 'journal not read: sudo needs a password (sudo -n)'],
  ])('%s → %s', (detail, note) => {
    expect(sudoRequiredNote(detail)).toBe(note);
  });

  it('names the journalctl sudo was asked to run, and only a plain absolute path', () => {
    expect(sudoJournalctlPath('sudo: a password is required (sudo -n /bin/journalctl)')).toBe('/bin/journalctl');
    expect(sudoJournalctlPath('sudo: a password is required (sudo -n journalctl)')).toBe('/usr/bin/journalctl');
    expect(sudoJournalctlPath("x (sudo -n /usr/bin/journalctl'; rm -rf /)")).toBe('/usr/bin/journalctl');
    expect(sudoJournalctlPath(undefined)).toBe('/usr/bin/journalctl');
  });

  it('suggests the sudoers line for the login, and the requiretty exemption when sudo wants a terminal', () => {
    expect(sudoersLines('auditor', 'sudo: a password is required (sudo -n /usr/bin/journalctl)')).toEqual(['auditor ALL=(root) NOPASSWD: /usr/bin/journalctl']);
    expect(sudoersLines('ops', 'sudo: sorry, you must have a tty to run sudo (sudo -n /bin/journalctl)')).toEqual(['Defaults:ops !requiretty', 'ops ALL=(root) NOPASSWD: /bin/journalctl']);
    expect(sudoRefusalSummary('auditor is not in the sudoers file.  This incident will be reported.')).toBe('sudo does not let this user run journalctl');
  });

  it('writes the drop-in with a shell-quoted line, then lets visudo check the policy', () => {
    const step = sudoersStep('auditor', 'sudo: a password is required (sudo -n /usr/bin/journalctl)');
    expect(step.command).toBe("echo 'auditor ALL=(root) NOPASSWD: /usr/bin/journalctl' | sudo tee /etc/sudoers.d/sockaudit >/dev/null && sudo chmod 0440 /etc/sudoers.d/sockaudit && sudo visudo -c");
    expect(step.label).toBe('Let auditor read the journal through sudo -n without a password');
    const tty = sudoersStep('ops', 'sudo: sorry, you must have a tty to run sudo (sudo -n /usr/bin/journalctl)');
    expect(tty.command.startsWith("printf '%s\\n' 'Defaults:ops !requiretty' 'ops ALL=(root) NOPASSWD: /usr/bin/journalctl' | sudo tee")).toBe(true);
  });

  it.each(["o'brien", '%wheel', '#0', 'ALL', 'a b', 'x,root', 'evil\nroot ALL=(ALL) NOPASSWD: ALL'])(
    'a login that is no plain sudoers name (%j) becomes the placeholder USER, never a rule for someone else',
    (user) => {
      const step = sudoersStep(user, null);
      expect(step.command).toContain("'USER ALL=(root) NOPASSWD: /usr/bin/journalctl'");
      expect(step.label).toContain('replace USER');
      expect(step.command).not.toContain('\n');
    },
  );
});
