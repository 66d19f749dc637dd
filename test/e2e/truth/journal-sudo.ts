// What each lab host must report for its journal when the inventory sets journal_sudo, from
// hosts.conf and the sudoers drop-in scenarios/failures/install.sh writes (never from
// sockaudit's code): root needs no sudo; `auditor` may run journalctl without a password on
// bookworm, meets `Defaults requiretty` on bullseye, and has no rule on trixie.
import type { FleetHostDef } from '../fleet-config.js';

export interface SudoJournalExpectation {
  /** The host's journalAccess with journal_sudo. */
  journalAccess: 'full' | 'sudo-required';
  /** What the journalAccessDetail must say (sudo's words), when sudo refused. */
  detail: RegExp | null;
  /** Its findings carry the same causes as the root login of the same machine. */
  causesAsRoot: boolean;
}

const byAuditorSuite: Record<string, SudoJournalExpectation> = {
  bookworm: { journalAccess: 'full', detail: null, causesAsRoot: true },
  bullseye: { journalAccess: 'sudo-required', detail: /^sudo: sorry, you must have a tty to run sudo \(sudo -n \/usr\/bin\/journalctl\)$/, causesAsRoot: false },
  // sudo 1.9 says "a password is required" to a login it has no rule for; older ones may name
  // the missing sudoers entry instead: both are refusals a sudoers line fixes.
  trixie: { journalAccess: 'sudo-required', detail: /^(?:sudo: a password is required|.*is not in the sudoers file.*) \(sudo -n \/usr\/bin\/journalctl\)$/, causesAsRoot: false },
};

/**
 * For an audited host: what journal_sudo must give. Null for a login the scenarios set no
 * sudoers case for (a machine of another scenario than failures).
 */
export function expectSudoJournal(def: FleetHostDef, all: readonly FleetHostDef[]): SudoJournalExpectation | null {
  const user = def.options.user ?? 'root';
  if (user === 'root') return { journalAccess: 'full', detail: null, causesAsRoot: true };
  const machine = def.kind === 'login' ? all.find((h) => h.kind === 'nspawn' && h.addr === def.addr && h.options.behind === undefined) : def;
  if (user !== 'auditor' || machine?.scenario !== 'failures' || machine.suite === null) return null;
  return byAuditorSuite[machine.suite] ?? null;
}
