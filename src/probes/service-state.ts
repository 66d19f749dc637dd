// `systemctl show` blocks of the units named in sockets' `Triggers=` → ServiceState records.
import type { ServiceState } from '../model/types.js';
import { parseExecCommand } from './exec-command.js';
import { blocksById, readInteger, readUnitCommon, type UnitsFromShow, type WarningSink } from './unit-common.js';

export function parseServiceStates(text: string, version: number): UnitsFromShow<ServiceState> {
  const { blocks, names, warnings } = blocksById(text, version, 'service');
  const services: ServiceState[] = [];
  for (const { unit, block } of blocks) {
    const sink: WarningSink = { warn: (m) => warnings.push(`${unit}: ${m}`) };
    services.push({
      ...readUnitCommon(unit, block, version, sink),
      execMainStatus: readInteger(block, 'ExecMainStatus', sink, true),
      execMainCode: readInteger(block, 'ExecMainCode', sink, true),
      // NRestarts exists from 235; absent before → null.
      nRestarts: readInteger(block, 'NRestarts', sink),
      execStart: readExecStart(block.first.get('ExecStart')),
    });
  }
  services.sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));
  return { units: services, names, warnings };
}

/** The first ExecStart= (a oneshot may print several lines); null when empty or unreadable. */
function readExecStart(value: string | undefined): ServiceState['execStart'] {
  return value === undefined || value.trim() === '' ? null : parseExecCommand(value);
}
