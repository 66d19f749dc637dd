// Waivers expire on calendar days, not instants: `expires: 2026-12-31` waives through
// 2026-12-30 and no more from 2026-12-31 on (UTC days), so every CI job of a day agrees.

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds of the UTC midnight that starts `day`, or undefined when it is no real date. */
export function dayStart(day: string): number | undefined {
  const m = dayPattern.exec(day);
  if (m === null) return undefined;
  const [year, month, date] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, date);
  // Date.UTC rolls 2026-02-30 over into March: a real date reads back the same.
  const back = new Date(ms);
  return back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === date ? ms : undefined;
}

export function isCalendarDay(text: string): boolean {
  return dayStart(text) !== undefined;
}

/** `2026-11-28` for any instant of that day in UTC. */
export function calendarDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  const a = dayStart(from);
  const b = dayStart(to);
  if (a === undefined || b === undefined) throw new Error(`not a calendar day: ${a === undefined ? from : to}`);
  return Math.round((b - a) / 86_400_000);
}
