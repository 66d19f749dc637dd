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
export interface PropertyBlock {
  /**
   * The `Listen…=` lines in print order (`Listen=`, ≤237 `ListenStream=`…): the only
   * properties that repeat and whose order matters. Every other property is read from `first`.
   */
  entries: Array<{ key: string; value: string }>;
  /** First value of each property. */
  first: Map<string, string>;
  /** How many `Name=value` lines the block has. */
  lines: number;
}

export interface ShowParse {
  blocks: PropertyBlock[];
  warnings: string[];
}

/** `[A-Za-z]` */
function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * The offset of the `=` ending a property name that starts at `start` (`[A-Za-z][A-Za-z0-9]*=`),
 * or -1 when the line is not `Name=value`.
 */
function nameEnd(text: string, start: number, end: number): number {
  if (start >= end || !isLetter(text.charCodeAt(start))) return -1;
  for (let i = start + 1; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 61) return i;
    if (!isLetter(code) && !(code >= 48 && code <= 57)) return -1;
  }
  return -1;
}

/**
 * One pass over the text, no array of lines and no per-line regular expression: this runs for
 * ~600 lines per host, and at fleet scale it was the largest part of the client's own CPU per
 * host (issue 7). Lines end in `\n` or `\r\n`; a line that is empty or blank ends a block.
 */
export function parseSystemctlShow(text: string): ShowParse {
  const blocks: PropertyBlock[] = [];
  const warnings: string[] = [];
  let current: PropertyBlock | null = null;
  let lineNo = 0;
  let pos = 0;
  while (pos < text.length) {
    let next = text.indexOf('\n', pos);
    if (next === -1) next = text.length;
    const start = pos;
    let end = next;
    if (end > start && text.charCodeAt(end - 1) === 13) end -= 1;
    pos = next + 1;
    lineNo++;
    const eq = nameEnd(text, start, end);
    if (eq === -1) {
      // A name starts with a letter, so only such a line can be blank (JS's idea of whitespace).
      const line = text.slice(start, end);
      if (line.trim() === '') {
        if (current !== null) blocks.push(current);
        current = null;
      } else {
        warnings.push(`systemctl show line ${lineNo} is not Name=value: ${JSON.stringify(line.slice(0, 120))}`);
      }
      continue;
    }
    current ??= { entries: [], first: new Map(), lines: 0 };
    const key = text.slice(start, eq);
    const value = text.slice(eq + 1, end);
    current.lines++;
    if (key.startsWith('Listen')) current.entries.push({ key, value });
    if (!current.first.has(key)) current.first.set(key, value);
  }
  if (current !== null) blocks.push(current);
  return { blocks, warnings };
}
