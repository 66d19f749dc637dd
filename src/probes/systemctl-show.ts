// `systemctl show -p A,B,… -- unit…` output → one property block per unit.
//
// Facts this relies on (all versions 219…260):
// - each unit is a block of `Name=value` lines; blocks are separated by exactly one empty line;
// - the order of lines inside a block is the D-Bus vtable order, not the `-p` order (252 prints
//   `Accept=`, `Listen=`, `Result=` before `Id=`), so nothing may depend on line order except
//   the relative order of repeated `Listen…=` lines;
// - a property this systemd does not know is silently left out (NRefused < 239,
//   StateChangeTimestamp < 229), so "absent" must stay distinguishable from "empty";
// - `Listen=` (and ≤237 `ListenStream=`…) repeats once per address.
import { splitLines } from './sections.js';

export interface PropertyBlock {
  /** Every `Name=value` line in print order (values untouched, may repeat). */
  entries: Array<{ key: string; value: string }>;
  /** First value of each property. */
  first: Map<string, string>;
}

export interface ShowParse {
  blocks: PropertyBlock[];
  warnings: string[];
}

const keyRe = /^[A-Za-z][A-Za-z0-9]*$/;

export function parseSystemctlShow(text: string): ShowParse {
  const blocks: PropertyBlock[] = [];
  const warnings: string[] = [];
  let current: PropertyBlock | null = null;
  let lineNo = 0;
  for (const line of splitLines(text)) {
    lineNo++;
    if (line.trim() === '') {
      if (current !== null) blocks.push(current);
      current = null;
      continue;
    }
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq) : '';
    if (!keyRe.test(key)) {
      warnings.push(`systemctl show line ${lineNo} is not Name=value: ${JSON.stringify(line.slice(0, 120))}`);
      continue;
    }
    current ??= { entries: [], first: new Map() };
    const value = line.slice(eq + 1);
    current.entries.push({ key, value });
    if (!current.first.has(key)) current.first.set(key, value);
  }
  if (current !== null) blocks.push(current);
  return { blocks, warnings };
}

/** All values of one property, in print order. */
export function allValues(block: PropertyBlock, key: string): string[] {
  return block.entries.filter((e) => e.key === key).map((e) => e.value);
}
