// Host text inside GitHub-flavoured Markdown tables. Every host-supplied value goes into a
// code span: there, Markdown, HTML, links and @mentions are all inert. What remains to handle
// is what can end the span or the cell: backticks (longer fence), pipes (`\|`, which GFM
// unescapes even inside code) and line breaks (a cell is one line).
import { oneLine, truncate } from './text-safety.js';

export function mdCode(text: string, max = 120): string {
  const flat = truncate(oneLine(text), max).replace(/\|/g, '\\|');
  if (flat.trim() === '') return flat === '' ? '' : '` `';
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  // A span that starts or ends with a backtick needs a space inside the fence.
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Prose from a report file (cause titles): every ASCII punctuation character backslash-escaped,
 *  which CommonMark allows for all of them, so none can start markup or a link. */
export function mdText(text: string, max = 200): string {
  return truncate(oneLine(text), max).replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}

/** A list of code spans, at most `max` shown, then `+N more`. */
export function mdCodeList(values: readonly string[], max = 8): string {
  const shown = values.slice(0, max).map((v) => mdCode(v));
  return values.length > max ? `${shown.join(', ')} +${values.length - max} more` : shown.join(', ');
}

export function mdTable(head: readonly string[], align: readonly ('l' | 'r')[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), line(align.map((a) => (a === 'r' ? '---:' : '---'))), ...rows.map(line)].join('\n');
}
