// Splits the probe's stdout into its framed sections. See probe-script.ts for the framing:
//
//   @@sockaudit:NONCE:begin NAME\n<exact stdout of the command>\n@@sockaudit:NONCE:end NAME rc=N\n
//
// Only marker lines that carry this run's nonce count; anything else (a login banner before the
// first marker, a unit Description that happens to look like a marker with another nonce) is
// content. The script always writes a "\n" before the end marker, so a section's content is
// exactly the bytes after the begin line's newline and before that added newline.

export interface Section {
  name: string;
  /** Exact bytes the command printed. */
  content: string;
  /** Exit status from the end marker. */
  rc: number;
}

export type SplitResult =
  | {
      ok: true;
      sections: Map<string, Section>;
      /** Non-empty lines before the first marker (e.g. a banner printed by a login rc file). */
      preamble: string[];
      warnings: string[];
    }
  | { ok: false; detail: string };

// Section names: fixed names, and `journal:UNIT` where UNIT is in systemd's unit-name alphabet.
const beginRe = /^begin ([A-Za-z0-9._:@\\-]+)\r?$/;
const endRe = /^end ([A-Za-z0-9._:@\\-]+) rc=(\d{1,3})\r?$/;

export function splitSections(stdout: string, nonce: string): SplitResult {
  const prefix = `@@sockaudit:${nonce}:`;
  const sections = new Map<string, Section>();
  const preamble: string[] = [];
  const warnings: string[] = [];
  let open: { name: string; contentStart: number } | null = null;
  let pos = 0;

  while (pos < stdout.length) {
    const nl = stdout.indexOf('\n', pos);
    const lineEnd = nl === -1 ? stdout.length : nl;
    const line = stdout.slice(pos, lineEnd);
    const lineStart = pos;
    pos = nl === -1 ? stdout.length : nl + 1;

    if (!line.startsWith(prefix)) {
      if (open === null && line.trim() !== '' && preamble.length < 5) preamble.push(line.trim());
      continue;
    }
    const marker = line.slice(prefix.length);
    const begin = beginRe.exec(marker);
    const end = endRe.exec(marker);

    if (begin?.[1] !== undefined) {
      if (open !== null) {
        return { ok: false, detail: `probe output is garbled: section "${begin[1]}" begins inside "${open.name}"` };
      }
      if (nl === -1) break; // a begin line with nothing after it: truncated, reported below
      open = { name: begin[1], contentStart: pos };
    } else if (end?.[1] !== undefined && end[2] !== undefined) {
      if (open === null || open.name !== end[1]) {
        return {
          ok: false,
          detail: `probe output is garbled: end of section "${end[1]}" without its begin${open ? ` (inside "${open.name}")` : ''}`,
        };
      }
      // lineStart - 1 is the "\n" the script adds before every end marker.
      const content = stdout.slice(open.contentStart, Math.max(open.contentStart, lineStart - 1));
      if (sections.has(open.name)) warnings.push(`probe section "${open.name}" appears twice; the first one is used`);
      else sections.set(open.name, { name: open.name, content, rc: Number(end[2]) });
      open = null;
    } else {
      warnings.push(`unrecognised probe marker line: ${JSON.stringify(line.slice(0, 120))}`);
    }
  }

  if (open !== null) {
    return {
      ok: false,
      detail: `probe output is truncated: section "${open.name}" has no end marker (${sections.size} complete section(s) before it)`,
    };
  }
  // A begin marker on the very last line without a newline also means truncation.
  const lastLine = stdout.slice(stdout.lastIndexOf('\n') + 1);
  if (lastLine.startsWith(prefix) && beginRe.test(lastLine.slice(prefix.length))) {
    return { ok: false, detail: `probe output is truncated right after the begin marker ${JSON.stringify(lastLine)}` };
  }
  return { ok: true, sections, preamble, warnings };
}

/** Splits text into lines without the line terminators (`\n` or `\r\n`); no trailing empty line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
