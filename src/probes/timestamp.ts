// Realtime timestamps in `systemctl show`. The probe runs with TZ=UTC LC_ALL=C, so systemd prints
// `Sat 2026-11-28 07:59:43 UTC` (`"%a %Y-%m-%d %H:%M:%S %Z"`). Traps this parser tolerates:
// - 219–231 localise the weekday through strftime (`Do` in de_DE): the weekday is ignored.
// - 252 drops the zone when it does not fit the buffer: no zone is read as UTC (we forced TZ=UTC).
// - `--timestamp=us` adds `.123456`; `--timestamp=unix` (251+) prints `@1795852892`.
// - A zone other than UTC/GMT/numeric offset (TZ not honoured, e.g. `IST`) is ambiguous → null.
// - Unset: empty (with -p) or `n/a`; years > 9999 print as `--- XXXX-XX-XX XX:XX:XX`.

const wallClockRe =
  /^(?:\S+ )?(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?: (UTC|GMT|Z|[+-]\d{2}(?::?\d{2})?|[A-Z]{2,6}))?$/;

const unixRe = /^@(\d{1,12})$/;

export type TimestampResult = { ok: true; iso: string | null } | { ok: false; reason: string };

/**
 * Results of recent values: a host prints the same few timestamps many times (every unit started
 * at boot has the boot's second), and hosts of a fleet share them too. Small and cleared when
 * full: a key may be a slice that keeps its host's whole output alive.
 */
const recent = new Map<string, TimestampResult>();
const recentMax = 64;

/** Parse one `…Timestamp=` value into ISO 8601 UTC (`2026-11-28T07:59:43.000Z`), null when unset. */
export function parseTimestamp(value: string): TimestampResult {
  const known = recent.get(value);
  if (known !== undefined) return known;
  const result = parseTimestampUncached(value);
  if (recent.size >= recentMax) recent.clear();
  recent.set(value, result);
  return result;
}

function parseTimestampUncached(value: string): TimestampResult {
  const v = value.trim();
  if (v === '' || v === 'n/a' || v === '0') return { ok: true, iso: null };
  const unix = unixRe.exec(v);
  if (unix?.[1] !== undefined) return { ok: true, iso: new Date(Number(unix[1]) * 1000).toISOString() };

  const m = wallClockRe.exec(v);
  if (m === null) return { ok: false, reason: `unrecognised timestamp ${JSON.stringify(v.slice(0, 60))}` };
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const parts = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  const [year, month, day, hour, minute, second] = parts;
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== 'UTC' && zone !== 'GMT' && zone !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
    if (z === null) return { ok: false, reason: `unknown time zone in ${JSON.stringify(v)}` };
    offsetMinutes = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3] ?? '0'));
  }
  const ms = frac === undefined ? 0 : Math.floor(Number(frac.padEnd(6, '0')) / 1000);
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(t);
  // Reject impossible dates (2026-02-31) that Date.UTC would silently roll over.
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    check.getUTCHours() !== hour ||
    check.getUTCMinutes() !== minute ||
    check.getUTCSeconds() !== second
  ) {
    return { ok: false, reason: `impossible timestamp ${JSON.stringify(v)}` };
  }
  return { ok: true, iso: new Date(t - offsetMinutes * 60_000).toISOString() };
}

/** The latest of several ISO timestamps (null entries ignored); null when all are null. */
export function latestIso(values: ReadonlyArray<string | null>): string | null {
  let best: string | null = null;
  for (const v of values) if (v !== null && (best === null || v > best)) best = v;
  return best;
}
