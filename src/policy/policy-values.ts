// Readers for the values of a policy file. Like the inventory's (src/inventory/read-values.ts,
// reused here), each returns a clean value or records exactly one issue — where, what was
// expected, what was found, and a hint — and returns undefined.
import { isScalar, isSeq } from 'yaml';
import { didYouMean } from '../inventory/did-you-mean.js';
import { hasGlobSyntax } from '../inventory/glob.js';
import { namePattern, readString, type ReadContext } from '../inventory/read-values.js';
import { childPath, deref, describe, scalarText, type ValueNode } from '../inventory/yaml-nodes.js';
import type { Severity, UnknownTolerance } from '../model/types.js';
import { isCalendarDay } from './calendar-day.js';

export const severities: readonly Severity[] = ['critical', 'warning', 'notice'];

function expected(ctx: ReadContext, node: ValueNode | null, path: string, what: string, hint?: string): undefined {
  ctx.issues.add(node, path, `expected ${what}, got ${describe(node)}`, hint);
  return undefined;
}

/** One value or a list of them, each read by `read`; undefined when any is wrong. */
export function readOneOrList<T>(
  ctx: ReadContext,
  node: ValueNode | null,
  path: string,
  what: string,
  read: (node: ValueNode | null, path: string) => T | undefined,
): T[] | undefined {
  if (isSeq(node)) {
    if (node.items.length === 0) return expected(ctx, node, path, `${what}, or a list of them`, 'an empty list would match nothing');
    const values = node.items.map((item, i) => read(deref(item, ctx.doc), childPath(path, i)));
    return values.every((v) => v !== undefined) ? values : undefined;
  }
  if (isScalar(node) && node.value !== null) {
    const single = read(node, path);
    return single === undefined ? undefined : [single];
  }
  return expected(ctx, node, path, `${what}, or a list of them`);
}

/** A member of a closed catalogue (finding kinds, causes, severities), with the likeliest intended one. */
export function readChoice<T extends string>(ctx: ReadContext, node: ValueNode | null, path: string, what: string, choices: readonly T[]): T | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') return expected(ctx, node, path, `a ${what}: ${choices.join(', ')}`);
  const value = node.value;
  if ((choices as readonly string[]).includes(value)) return value as T;
  const guess = didYouMean(value, choices);
  ctx.issues.add(node, path, `unknown ${what} ${JSON.stringify(value)}`, guess === undefined ? `one of: ${choices.join(', ')}` : `did you mean "${guess}"?`);
  return undefined;
}

/** `web-*`, `db-1` or `@group`; `@`-patterns are checked against the inventory's groups later. */
export function readHostPattern(ctx: ReadContext, node: ValueNode | null, path: string): string | undefined {
  const text = readString(ctx, node, path);
  if (text === undefined) return undefined;
  if (text.startsWith('@')) {
    if (namePattern.test(text.slice(1))) return text;
    ctx.issues.add(node, path, `expected @ followed by a group name (letters, digits, ".", "_", "-"), got ${JSON.stringify(text)}`);
    return undefined;
  }
  if (/\s/.test(text)) {
    ctx.issues.add(node, path, `expected a host-name glob or @group, got ${JSON.stringify(text)}`, 'write several patterns as a list: [web-*, "@db"]');
    return undefined;
  }
  return text;
}

/** A unit-name glob. A plain name must be a socket: `shop-api` would match nothing. */
export function readUnitPattern(ctx: ReadContext, node: ValueNode | null, path: string, allowGlob: boolean): string | undefined {
  const text = readString(ctx, node, path);
  if (text === undefined) return undefined;
  if (/\s/.test(text)) {
    ctx.issues.add(node, path, `expected a unit name, got ${JSON.stringify(text)}`, allowGlob ? 'write several patterns as a list' : undefined);
    return undefined;
  }
  if (hasGlobSyntax(text)) {
    if (allowGlob) return text;
    ctx.issues.add(node, path, `expected one socket unit name, got the pattern ${JSON.stringify(text)}`, 'a requirement names the unit that must be there; write one entry per unit');
    return undefined;
  }
  if (!text.endsWith('.socket')) {
    ctx.issues.add(node, path, `expected a socket unit name ending in .socket, got ${JSON.stringify(text)}`, `did you mean "${text.replace(/\.(service|target)$/, '')}.socket"?`);
    return undefined;
  }
  return text;
}

/** `expires: 2026-12-31`: a real calendar date. (YAML 1.2 reads it as a string, not a timestamp.) */
export function readCalendarDay(ctx: ReadContext, node: ValueNode | null, path: string): string | undefined {
  const what = 'a date YYYY-MM-DD';
  if (!isScalar(node) || (typeof node.value !== 'string' && typeof node.value !== 'number')) return expected(ctx, node, path, what);
  const text = scalarText(node);
  if (isCalendarDay(text)) return text;
  const hint = /^\d{4}-\d{1,2}-\d{1,2}$/.test(text) ? 'that day does not exist, or month and day need two digits (2026-03-09)' : 'waivers expire on a calendar day, e.g. 2026-12-31 (UTC; it waives until the day before)';
  ctx.issues.add(node, path, `expected ${what}, got ${describe(node)}`, hint);
  return undefined;
}

/** `max_unknown: 3` (hosts) or `max_unknown: 5%` (of the selected hosts), like --max-unknown. */
export function readUnknownTolerance(ctx: ReadContext, node: ValueNode | null, path: string): UnknownTolerance | undefined {
  const what = 'a host count like 3 or a share like "5%"';
  if (isScalar(node) && typeof node.value === 'number') {
    return Number.isInteger(node.value) && node.value >= 0 ? { count: node.value } : expected(ctx, node, path, what);
  }
  if (!isScalar(node) || typeof node.value !== 'string') return expected(ctx, node, path, what);
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(node.value.trim());
  if (percent !== null && Number(percent[1]) <= 100) return { percent: Number(percent[1]) };
  if (/^\d+$/.test(node.value.trim())) return { count: Number(node.value.trim()) };
  return expected(ctx, node, path, what);
}

export function readDayCount(ctx: ReadContext, node: ValueNode | null, path: string): number | undefined {
  if (isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value) && node.value >= 0 && node.value <= 3650) return node.value;
  return expected(ctx, node, path, 'a number of days 0–3650');
}
