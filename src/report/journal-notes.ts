// The hosts whose journal sudo -n would not read (JournalAccess `sudo-required`), grouped by
// what sudo said and the fix, for the human reports' host notes. Such a host is audited — its
// sockets were read without privilege — but its findings carry no journal lines, and a host
// without findings would have none either: the reports say so, with the sudoers line to add.
import { sudoersStep, sudoRefusalSummary, sudoRequiredNote } from '../model/journal-sudo.js';
import type { HostReport, NextStep } from '../model/types.js';

export interface SudoJournalNote {
  /** Audited hosts in inventory order. */
  hosts: HostReport[];
  /** `journal not read: sudo needs a password (sudo -n)` */
  note: string;
  /** `sudo needs a password`: the note without its frame, under a "Journal not read" title. */
  summary: string;
  /** sudo's own words and what it was asked to run (the first host's; the group shares them). */
  detail: string;
  fix: NextStep;
}

export function sudoJournalNotes(hosts: readonly HostReport[]): SudoJournalNote[] {
  const groups = new Map<string, SudoJournalNote>();
  for (const host of hosts) {
    if (host.status !== 'audited' || host.journalAccess !== 'sudo-required') continue;
    const detail = host.journalAccessDetail ?? '';
    const fix = sudoersStep(host.user, detail);
    const key = `${detail}\u0000${fix.command}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { hosts: [host], note: sudoRequiredNote(detail), summary: sudoRefusalSummary(detail), detail, fix });
    else group.hosts.push(host);
  }
  return [...groups.values()];
}
