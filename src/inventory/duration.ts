// Timeouts are written by people, so they may carry a unit; a bare number means seconds because
// that is what OpenSSH's ConnectTimeout uses and what most users will guess.

const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Words used in error messages so every caller describes a duration the same way. */
export const durationExpectation = 'a duration such as 10 (seconds), "500ms", "10s" or "2m"';

/**
 * Converts `10`, `"10"`, `"500ms"`, `"10s"`, `"1.5m"`, `"1h"` to whole milliseconds.
 * Returns undefined for anything else, including zero and negative values: a zero timeout
 * would fail every host and is never what the user meant.
 */
export function parseDuration(value: string | number): number | undefined {
  let ms: number;
  if (typeof value === 'number') {
    ms = value * 1000;
  } else {
    const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)?\s*$/.exec(value);
    if (match === null) return undefined;
    ms = Number(match[1]) * (unitMs[match[2] ?? 's'] ?? 1000);
  }
  if (!Number.isFinite(ms) || ms <= 0) return undefined;
  const rounded = Math.round(ms);
  // Guard against "0.0001s" rounding to 0, and against values setTimeout would overflow on.
  if (rounded < 1 || rounded > 2_147_483_647) return undefined;
  return rounded;
}
