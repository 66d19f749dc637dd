// `systemctl list-units --type=socket --all --plain --no-legend --no-pager --full` and
// `systemctl list-unit-files --type=socket --no-legend --no-pager --full`.
//
// These are not the source of state (`show` is) but a cross-check, and their layout drifts:
// - a glyph column (`●`, `*` in a non-UTF-8 locale, e.g. our LC_ALL=C): 219–244 only with the
//   legend on; 245.0/245.1 ALWAYS present, even with --no-legend/--plain (blank, so rows start with
//   two spaces; systemd#15077); 245.2+ hidden by --no-legend; 246+ hidden only by --plain. From
//   256 `●` also marks activating/deactivating units, so it never means "failed" here;
// - a JOB column only when some unit has a pending job — blank for the others, so token counts
//   differ between rows; with --no-legend there is no header to locate it;
// - trailing blanks: 232–247 pad the description column;
// - with the legend on (some wrapper strips --no-legend): header, `LOAD   = …` (≤254) or
//   `Legend: LOAD   → …` (255+) lines and an `N loaded units listed.` footer;
// - 246+ could print JSON with --output=json (first byte `[`); the probe does not ask for it, but
//   a JSON array is accepted too.
import { splitLines } from './sections.js';

export interface ListedUnit {
  unit: string;
  load: string;
  active: string;
  sub: string;
  /** Pending job type (`start`, `stop` …) when the JOB column shows one. */
  job: string | null;
  description: string;
}

export interface ListedUnitFile {
  unit: string;
  state: string;
  /** Vendor preset column (249+ `VENDOR PRESET`, 252+ `PRESET`); null when not printed. */
  preset: string | null;
}

export interface ListParse<T> {
  entries: T[];
  warnings: string[];
}

const jobTypes = new Set([
  'start',
  'stop',
  'reload',
  'restart',
  'verify-active',
  'verify-started',
  'try-restart',
  'try-reload',
  'reload-or-start',
  'nop',
]);

const legendRe =
  /^(?:Legend:\s*)?(?:LOAD|ACTIVE|SUB|JOB)\s+(?:=|→|->)|^\d+ (?:loaded )?units? (?:files )?listed\.|^To show all installed unit files|^Pass --all to see|^UNIT\s+LOAD\s+ACTIVE\s+SUB\b|^UNIT FILE\s+STATE\b/;

interface Token {
  text: string;
  start: number;
}

function tokenize(line: string): Token[] {
  const out: Token[] = [];
  const re = /\S+/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) out.push({ text: m[0], start: m.index });
  return out;
}

function stringField(o: Record<string, unknown>, k: string): string | null {
  const v = o[k];
  return typeof v === 'string' ? v : null;
}

function parseListUnitsJson(text: string): ListParse<ListedUnit> | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(data)) return null;
  const entries: ListedUnit[] = [];
  const warnings: string[] = [];
  for (const row of data as unknown[]) {
    if (typeof row !== 'object' || row === null) continue;
    const o = row as Record<string, unknown>;
    const unit = stringField(o, 'unit');
    const load = stringField(o, 'load');
    const active = stringField(o, 'active');
    const sub = stringField(o, 'sub');
    if (unit === null || load === null || active === null || sub === null) {
      warnings.push(`list-units JSON row without unit/load/active/sub: ${JSON.stringify(row).slice(0, 120)}`);
      continue;
    }
    entries.push({ unit, load, active, sub, job: stringField(o, 'job'), description: stringField(o, 'description') ?? '' });
  }
  return { entries, warnings };
}

/** Parse `systemctl list-units` text (any version 219…260) or its 246+ JSON form. */
export function parseListUnits(text: string): ListParse<ListedUnit> {
  if (text.trimStart().startsWith('[')) {
    const json = parseListUnitsJson(text);
    if (json !== null) return json;
  }
  const warnings: string[] = [];
  const rows: Array<{ tokens: Token[]; line: string }> = [];
  for (const raw of splitLines(text)) {
    const line = raw.trimEnd();
    if (line.trim() === '') continue;
    let tokens = tokenize(line);
    // The glyph column: a lone `●` or `*` token (unit names never contain either).
    if (tokens[0]?.text === '●' || tokens[0]?.text === '*') tokens = tokens.slice(1);
    const first = tokens[0];
    if (first === undefined) continue;
    if (legendRe.test(line.slice(first.start))) continue;
    if (tokens.length < 4) {
      warnings.push(`list-units line has fewer than 4 columns: ${JSON.stringify(line.slice(0, 120))}`);
      continue;
    }
    rows.push({ tokens, line });
  }

  // The JOB column, when present, is padded: every row's description starts at the same offset.
  // A row whose 5th token is a job type AND starts before that common offset carries a job; a
  // description that merely begins with "start" starts at the common offset.
  const descStarts = new Map<number, number>();
  for (const { tokens } of rows) {
    const t4 = tokens[4];
    if (t4 !== undefined && !jobTypes.has(t4.text)) descStarts.set(t4.start, (descStarts.get(t4.start) ?? 0) + 1);
  }
  let commonDescStart: number | null = null;
  let best = 0;
  for (const [start, count] of descStarts) if (count > best) [commonDescStart, best] = [start, count];

  const entries: ListedUnit[] = [];
  for (const { tokens, line } of rows) {
    const [unit, load, active, sub] = tokens as [Token, Token, Token, Token];
    const t4 = tokens[4];
    let job: string | null = null;
    let descFrom = t4?.start ?? line.length;
    if (t4 !== undefined && jobTypes.has(t4.text) && (commonDescStart === null || t4.start < commonDescStart)) {
      job = t4.text;
      descFrom = tokens[5]?.start ?? line.length;
    }
    entries.push({ unit: unit.text, load: load.text, active: active.text, sub: sub.text, job, description: line.slice(descFrom).trim() });
  }
  return { entries, warnings };
}

/** Parse `systemctl list-unit-files` text: `UNIT STATE [PRESET]`. */
export function parseListUnitFiles(text: string): ListParse<ListedUnitFile> {
  const entries: ListedUnitFile[] = [];
  const warnings: string[] = [];
  for (const raw of splitLines(text)) {
    const line = raw.trim();
    if (line === '' || legendRe.test(line)) continue;
    const tokens = line.split(/\s+/);
    const [unit, state, preset] = tokens;
    if (unit === undefined || state === undefined || tokens.length > 3) {
      warnings.push(`list-unit-files line is not "UNIT STATE [PRESET]": ${JSON.stringify(line.slice(0, 120))}`);
      continue;
    }
    entries.push({ unit, state, preset: preset ?? null });
  }
  return { entries, warnings };
}
