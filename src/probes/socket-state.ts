// `systemctl show` blocks of socket units → SocketState[] (sorted by unit name).
import type { SocketState } from '../model/types.js';
import { listenEntries } from './listen.js';
import type { PropertyBlock } from './systemctl-show.js';
import {
  blocksById,
  readBoolean,
  readInteger,
  readUnitCommon,
  readUnitList,
  type UnitsFromShow,
  type WarningSink,
} from './unit-common.js';

/** WantedBy= + RequiredBy=; null when neither is printed (probes before sockaudit 0.2). */
function readWantedBy(block: PropertyBlock, version: number, sink: WarningSink): string[] | null {
  if (!block.first.has('WantedBy') && !block.first.has('RequiredBy')) return null;
  return [...readUnitList(block, 'WantedBy', version, sink), ...readUnitList(block, 'RequiredBy', version, sink)];
}

export function parseSocketStates(text: string, version: number): UnitsFromShow<SocketState> {
  const { blocks, names, warnings } = blocksById(text, version, 'socket');
  const sockets: SocketState[] = [];
  for (const { unit, block } of blocks) {
    const sink: WarningSink = { warn: (m) => warnings.push(`${unit}: ${m}`) };
    if (!unit.endsWith('.socket')) sink.warn('not a socket unit but listed among sockets');
    sockets.push({
      ...readUnitCommon(unit, block, version, sink),
      listen: listenEntries(block, version, warnings, unit),
      // Sorted: systemd prints Triggers= in hash order, which would make run-to-run diffs noisy
      // for Accept=yes sockets with several live instances.
      triggers: readUnitList(block, 'Triggers', version, sink).sort(),
      accept: readBoolean(block, 'Accept', sink),
      nAccepted: readInteger(block, 'NAccepted', sink),
      nConnections: readInteger(block, 'NConnections', sink),
      // NRefused exists from 239 (systemd PR#9217); absent before → null.
      nRefused: readInteger(block, 'NRefused', sink),
      maxConnections: readInteger(block, 'MaxConnections', sink),
      wantedBy: readWantedBy(block, version, sink),
      // Filled in by parse-probe.ts from the `templates` section, which sees all sockets.
      template: null,
    });
  }
  sockets.sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));
  return { units: sockets, names, warnings };
}
