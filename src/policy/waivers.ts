// Waivers: a finding that a waiver's patterns match is waived until the waiver expires, and
// from its `expires` day on (UTC, like InSpec's expiration_date) it is reported with "waiver
// expired on …" and fails the gate again. A waiver never hides anything; it only changes
// what the gate counts.
import type { Finding, WaiverRef, WaiverStatus } from '../model/types.js';
import { daysBetween } from './calendar-day.js';
import { hostMatches, unitMatches, type HostIdentity } from './patterns.js';
import type { Waiver } from './policy-types.js';

export function waiverMatches(waiver: Waiver, finding: Finding, host: HostIdentity): boolean {
  return (
    hostMatches(waiver.hosts, host) &&
    unitMatches(waiver.units, finding.unit) &&
    (waiver.kinds.length === 0 || waiver.kinds.includes(finding.kind)) &&
    (waiver.causes.length === 0 || waiver.causes.includes(finding.cause.id))
  );
}

/** Expired from its `expires` day on. */
export function isExpired(waiver: Pick<Waiver, 'expires'>, today: string): boolean {
  return daysBetween(today, waiver.expires) <= 0;
}

function refOf(waiver: Waiver, today: string): WaiverRef {
  return { index: waiver.index, where: waiver.where, reason: waiver.reason, owner: waiver.owner, expires: waiver.expires, expired: isExpired(waiver, today) };
}

/** The waiver a finding is shown with: the first one that still waives, else the first expired one. */
export function waiverFor(waivers: readonly Waiver[], finding: Finding, host: HostIdentity, today: string): WaiverRef | null {
  const matching = waivers.filter((waiver) => waiverMatches(waiver, finding, host));
  const chosen = matching.find((waiver) => !isExpired(waiver, today)) ?? matching[0];
  return chosen === undefined ? null : refOf(chosen, today);
}

/** Every waiver of the policy with its state on `today` and how many findings it matched. */
export function waiverStatuses(
  waivers: readonly Waiver[],
  findings: readonly Finding[],
  hostOf: (name: string) => HostIdentity,
  today: string,
  warnBeforeDays: number,
): WaiverStatus[] {
  return waivers.map((waiver) => {
    const daysLeft = daysBetween(today, waiver.expires);
    return {
      index: waiver.index,
      where: waiver.where,
      reason: waiver.reason,
      owner: waiver.owner,
      expires: waiver.expires,
      hosts: waiver.hosts,
      units: waiver.units,
      kinds: waiver.kinds,
      causes: waiver.causes,
      state: daysLeft <= 0 ? 'expired' : daysLeft <= warnBeforeDays ? 'expiring' : 'active',
      daysLeft,
      matched: findings.filter((finding) => waiverMatches(waiver, finding, hostOf(finding.host))).length,
    };
  });
}
