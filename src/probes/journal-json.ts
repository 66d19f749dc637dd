// `journalctl -o json` output → JournalEntry[]. One JSON object per line, defensively:
// - 240+ prints compact `{"K":"v",…}`, up to 239 spaced `{ "K" : "v", … }`; key order is hash
//   order in both. Both are plain JSON, so JSON.parse reads them; a line that is not an object
//   (the byte cap cut it, a stray message) is counted and skipped.
// - a value is a string, an array of byte values (not UTF-8, or control characters such as
//   ESC or \r), null (larger than 4096 bytes without --all) or, for a field that occurs several
//   times, an array of those;
// - numbers are strings too (`"PRIORITY":"3"`, `"__REALTIME_TIMESTAMP":"1795853062646705"`).
// Never throws; the caller caps the number of lines and bytes before this sees them.
import type { JournalEntry } from '../model/types.js';
import { splitLines } from './sections.js';

export interface JournalParse {
  entries: JournalEntry[];
  /** Lines that were not a journal object (empty lines are not counted). */
  skipped: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
const maxMessage = 2000;

type Field = string | null;

function isByteArray(value: unknown[]): value is number[] {
  return value.length > 0 && value.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255);
}

/** One encoded value → text; null when journalctl left it out (too large). */
function decodeValue(value: unknown): Field | undefined {
  if (typeof value === 'string') return value;
  if (value === null) return null;
  if (Array.isArray(value) && isByteArray(value)) return utf8.decode(Uint8Array.from(value));
  if (Array.isArray(value) && value.length === 0) return '';
  return undefined;
}

/** A field's values: one for a plain field, several when the field was repeated. */
function fieldValues(record: Record<string, unknown>, key: string): Field[] {
  if (!Object.prototype.hasOwnProperty.call(record, key)) return [];
  const raw = record[key];
  const single = decodeValue(raw);
  if (single !== undefined) return [single];
  if (!Array.isArray(raw)) return [];
  const out: Field[] = [];
  for (const item of raw as unknown[]) {
    const v = decodeValue(item);
    if (v !== undefined) out.push(v);
  }
  return out;
}

function firstText(record: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const v = fieldValues(record, key).find((x): x is string => typeof x === 'string' && x !== '');
    if (v !== undefined) return v;
  }
  return undefined;
}

function integer(text: string | undefined, max: number): number | undefined {
  if (text === undefined || !/^\d{1,10}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= max ? n : undefined;
}

/** `__REALTIME_TIMESTAMP` (µs since the epoch) → ISO 8601, null when absent or absurd. */
export function realtimeToIso(text: string | undefined): string | null {
  if (text === undefined || !/^\d{1,17}$/.test(text)) return null;
  const ms = Math.floor(Number(text) / 1000);
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) || ms > 253402300799999 ? null : date.toISOString();
}

function messageOf(record: Record<string, unknown>): string {
  const values = fieldValues(record, 'MESSAGE');
  if (values.length === 0) return '';
  // A repeated MESSAGE is rare; the last one is what `journalctl -o short` shows.
  const last = values[values.length - 1];
  if (last === null || last === undefined) return '[message larger than 4 KiB not shown by journalctl]';
  return last.length > maxMessage ? `${last.slice(0, maxMessage - 1)}…` : last;
}

/** One parsed journal record → entry; null when it is not an object. */
export function toJournalEntry(record: unknown): JournalEntry | null {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return null;
  const r = record as Record<string, unknown>;
  const entry: JournalEntry = {
    time: realtimeToIso(firstText(r, '__REALTIME_TIMESTAMP')),
    // PID 1 writes UNIT= for the unit a message is about (its own _SYSTEMD_UNIT is init.scope).
    unit: firstText(r, 'UNIT', 'USER_UNIT', 'COREDUMP_UNIT', 'OBJECT_SYSTEMD_UNIT', '_SYSTEMD_UNIT', '_SYSTEMD_USER_UNIT') ?? '',
    priority: integer(firstText(r, 'PRIORITY'), 7) ?? null,
    message: messageOf(r),
  };
  const messageId = firstText(r, 'MESSAGE_ID');
  if (messageId !== undefined && /^[0-9a-f]{32}$/.test(messageId)) entry.messageId = messageId;
  const unitResult = firstText(r, 'UNIT_RESULT');
  if (unitResult !== undefined) entry.unitResult = unitResult.slice(0, 64);
  const errno = integer(firstText(r, 'ERRNO'), 4095);
  if (errno !== undefined) entry.errno = errno;
  const pid = integer(firstText(r, '_PID', 'SYSLOG_PID'), 4194304);
  if (pid !== undefined) entry.pid = pid;
  const identifier = firstText(r, 'SYSLOG_IDENTIFIER', '_COMM');
  if (identifier !== undefined) entry.identifier = identifier.slice(0, 128);
  return entry;
}

export function parseJournalJson(text: string, maxEntries = 200): JournalParse {
  const entries: JournalEntry[] = [];
  let skipped = 0;
  for (const line of splitLines(text)) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    let record: unknown;
    try {
      record = trimmed.startsWith('{') ? JSON.parse(trimmed) : null;
    } catch {
      record = null;
    }
    const entry = toJournalEntry(record);
    if (entry === null) skipped++;
    else entries.push(entry);
  }
  // Newest last, as journalctl printed them; keep the newest when there are too many.
  const cut = Math.max(0, entries.length - maxEntries);
  return { entries: entries.slice(cut), skipped: skipped + cut };
}
