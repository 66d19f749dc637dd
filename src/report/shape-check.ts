// A small structural checker for JSON read back from disk: each check reports every mismatch
// with its JSON path (`hosts[3].sockets[0].unit: expected a string, got 42`) instead of
// stopping at the first. Extra keys are allowed, so newer reports with more fields still read.

export interface ShapeIssue {
  path: string;
  message: string;
}

export type Check = (value: unknown, path: string, issues: ShapeIssue[]) => void;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

const expect =
  (what: string, ok: (value: unknown) => boolean): Check =>
  (value, path, issues) => {
    if (!ok(value)) issues.push({ path, message: `expected ${what}, got ${describe(value)}` });
  };

export const str = expect('a string', (v) => typeof v === 'string');
export const num = expect('a number', (v) => typeof v === 'number' && Number.isFinite(v));
export const bool = expect('a boolean', (v) => typeof v === 'boolean');

export function nullable(check: Check): Check {
  return (value, path, issues) => {
    if (value !== null) check(value, path, issues);
  };
}

export function literal<T extends string | number>(...values: readonly T[]): Check {
  return expect(values.length === 1 ? JSON.stringify(values[0]) : `one of ${values.join(', ')}`, (v) => (values as readonly unknown[]).includes(v));
}

export function arrayOf(item: Check): Check {
  return (value, path, issues) => {
    if (!Array.isArray(value)) {
      issues.push({ path, message: `expected an array, got ${describe(value)}` });
      return;
    }
    value.forEach((element: unknown, index) => item(element, join(path, index), issues));
  };
}

export function recordOf(item: Check): Check {
  return (value, path, issues) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.push({ path, message: `expected an object, got ${describe(value)}` });
      return;
    }
    for (const [key, element] of Object.entries(value)) item(element, join(path, key), issues);
  };
}

/** An object with these keys; keys listed in `optional` may be absent (or undefined). */
export function object(fields: Record<string, Check>, optional: Record<string, Check> = {}): Check {
  return (value, path, issues) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.push({ path, message: `expected an object, got ${describe(value)}` });
      return;
    }
    const record = value as Record<string, unknown>;
    for (const [key, check] of Object.entries(fields)) {
      if (!(key in record)) issues.push({ path: join(path, key), message: 'missing' });
      else check(record[key], join(path, key), issues);
    }
    for (const [key, check] of Object.entries(optional)) {
      if (record[key] !== undefined) check(record[key], join(path, key), issues);
    }
  };
}

/** Runs `check` and returns the issues it found (empty when the value has the shape). */
export function checkShape(value: unknown, check: Check, path = ''): ShapeIssue[] {
  const issues: ShapeIssue[] = [];
  check(value, path, issues);
  return issues;
}
