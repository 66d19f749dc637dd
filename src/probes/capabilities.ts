// What a host's systemd can tell at all, recorded next to the values it could not give (which
// are null in the model). Read from the output itself where possible (a backport can add a
// property to an old version), from the version where the output cannot say.
import type { Capabilities } from '../model/types.js';

export interface CapabilityInput {
  version: number;
  showSockets: string;
  showServices: string;
  socketCount: number;
  serviceCount: number;
  templateCheck: boolean;
}

function printed(text: string, key: string): boolean {
  return new RegExp(`^${key}=`, 'm').test(text);
}

export function readCapabilities(input: CapabilityInput): Capabilities {
  const { version, showSockets, showServices, socketCount, serviceCount } = input;
  return {
    nRefused: socketCount > 0 ? printed(showSockets, 'NRefused') : version >= 239,
    stateChangeTimestamp: socketCount > 0 ? printed(showSockets, 'StateChangeTimestamp') : version >= 229,
    nRestarts: serviceCount > 0 ? printed(showServices, 'NRestarts') : version >= 235,
    journalUnitResult: version >= 240,
    templateCheck: input.templateCheck,
  };
}

/** The gaps as short phrases for humans (`NRefused (systemd 239+)`); empty when none. */
export function capabilityGaps(capabilities: Capabilities): string[] {
  const gaps: string[] = [];
  if (!capabilities.nRefused) gaps.push('NRefused (systemd 239+): refused connections are not counted');
  if (!capabilities.stateChangeTimestamp) gaps.push('StateChangeTimestamp (systemd 229+): last state change estimated from the other timestamps');
  if (!capabilities.nRestarts) gaps.push('NRestarts (systemd 235+)');
  if (!capabilities.journalUnitResult) gaps.push('UNIT_RESULT in the journal (systemd 240+): results read from message text');
  if (!capabilities.templateCheck) gaps.push('Accept=yes template check');
  return gaps;
}
