// What a host's systemd could not tell, in words, for the human reports. The JSON carries the
// booleans (HostReport.capabilities); a gap is never shown as a zero or a healthy value.
import type { Capabilities, HostReport } from './types.js';

const phrases: Record<keyof Capabilities, string> = {
  nRefused: 'refused connections not counted (NRefused=, systemd 239+)',
  stateChangeTimestamp: 'last state change estimated (StateChangeTimestamp=, systemd 229+)',
  nRestarts: 'restarts not counted (NRestarts=, systemd 235+)',
  journalUnitResult: 'unit results read from journal text (UNIT_RESULT=, systemd 240+)',
  templateCheck: 'Accept=yes templates not checked',
};

export function capabilityGaps(capabilities: Capabilities): string[] {
  return (Object.keys(phrases) as Array<keyof Capabilities>).filter((k) => !capabilities[k]).map((k) => phrases[k]);
}

/** Each gap with the audited hosts that have it, in inventory order. */
export function fleetCapabilityGaps(hosts: readonly HostReport[]): Array<{ gap: string; hosts: string[] }> {
  const byGap = new Map<string, string[]>();
  for (const host of hosts) {
    if (host.status !== 'audited' || host.capabilities === undefined) continue;
    for (const gap of capabilityGaps(host.capabilities)) byGap.set(gap, [...(byGap.get(gap) ?? []), host.name]);
  }
  return [...byGap].map(([gap, names]) => ({ gap, hosts: names }));
}
