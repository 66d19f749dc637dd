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
