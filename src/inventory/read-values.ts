// One reader per kind of value. Each either returns a clean value or records exactly one issue
// saying what was expected and what was found, and returns undefined.
import { isMap, isScalar, isSeq, type Document } from 'yaml';
import { durationExpectation, parseDuration } from './duration.js';
import { expandEnvVars, expandPath, isEnvVarName } from './expand.js';
import { parseProxyJump, type JumpSpec } from './proxy-jump.js';
import { childPath, deref, describe, isEmpty, mapEntries, scalarText, type IssueCollector, type ValueNode } from './yaml-nodes.js';

export interface ReadContext {
  doc: Document;
  issues: IssueCollector;
  env: NodeJS.ProcessEnv;
  homeDir: string;
  /** Folder of the inventory file: relative paths in it are meant relative to it. */
  baseDir: string;
}

/** Host and group names end up in report keys and in `--limit @group`, so keep them plain. */
export const namePattern = /^[A-Za-z0-9._-]+$/;

interface Text {
  value: string;
  /** The written text when `${…}` changed it, so messages can show both. */
  written?: string;
}

function got(text: Text): string {
  const shown = JSON.stringify(text.value);
  return text.written === undefined ? shown : `${shown} (from ${JSON.stringify(text.written)})`;
}

function expectation(ctx: ReadContext, node: ValueNode | null, path: string, expected: string, hint?: string): undefined {
  ctx.issues.add(node, path, `expected ${expected}, got ${describe(node)}`, hint);
  return undefined;
}

/** A string scalar with `${VAR}` expanded; undefined (issue recorded) when it is anything else. */
function readText(ctx: ReadContext, node: ValueNode | null, path: string, expected: string): Text | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') {
    const hint = isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'boolean') ? `quote it: "${describe(node)}"` : undefined;
    return expectation(ctx, node, path, expected, hint);
  }
  const expansion = expandEnvVars(node.value, ctx.env);
  if (!expansion.ok) {
    ctx.issues.add(node, path, expansion.message, expansion.hint);
    return undefined;
  }
  return expansion.changed ? { value: expansion.value, written: node.value } : { value: expansion.value };
}

export function readString(ctx: ReadContext, node: ValueNode | null, path: string): string | undefined {
  const text = readText(ctx, node, path, 'a string');
  if (text === undefined) return undefined;
  if (text.value.trim() === '') {
    ctx.issues.add(node, path, `expected a non-empty string, got ${got(text)}`);
    return undefined;
  }
  return text.value;
}

/** A host or group name: `[A-Za-z0-9._-]+`. */
export function readName(ctx: ReadContext, node: ValueNode | null, path: string, what: string): string | undefined {
  const text = readText(ctx, node, path, `a ${what} name`);
  if (text === undefined) return undefined;
  if (!namePattern.test(text.value)) {
    ctx.issues.add(node, path, `expected a ${what} name made of letters, digits, ".", "_" and "-", got ${got(text)}`);
    return undefined;
  }
  return text.value;
}

/** A DNS name or IP literal; only obviously broken values are refused here, DNS decides the rest. */
export function readAddress(ctx: ReadContext, node: ValueNode | null, path: string): string | undefined {
  const text = readText(ctx, node, path, 'a host name or IP address');
  if (text === undefined) return undefined;
  if (text.value === '' || /\s/.test(text.value)) {
    ctx.issues.add(node, path, `expected a host name or IP address, got ${got(text)}`);
    return undefined;
  }
  return text.value;
}

const portExpected = 'an integer 1–65535';

export function readPort(ctx: ReadContext, node: ValueNode | null, path: string): number | undefined {
  if (isScalar(node) && typeof node.value === 'number') {
    const port = node.value;
    return Number.isInteger(port) && port >= 1 && port <= 65535 ? port : expectation(ctx, node, path, portExpected);
  }
  // A string is accepted when it is all digits, so that `port: ${SSH_PORT}` works.
  if (!isScalar(node) || typeof node.value !== 'string') return expectation(ctx, node, path, portExpected);
  const text = readText(ctx, node, path, portExpected);
  if (text === undefined) return undefined;
  const port = /^\d+$/.test(text.value) ? Number(text.value) : NaN;
  if (port >= 1 && port <= 65535) return port;
  ctx.issues.add(node, path, `expected ${portExpected}, got ${got(text)}`);
  return undefined;
}

export function readBoolean(ctx: ReadContext, node: ValueNode | null, path: string): boolean | undefined {
  if (isScalar(node) && typeof node.value === 'boolean') return node.value;
  if (!isScalar(node) || typeof node.value !== 'string') return expectation(ctx, node, path, 'true or false');
  const text = readText(ctx, node, path, 'true or false');
  if (text === undefined) return undefined;
  if (text.value === 'true' || text.value === 'false') return text.value === 'true';
  const hint = /^(yes|no|on|off|y|n)$/i.test(text.value) ? `YAML 1.2 reads ${text.value} as a string; write true or false` : undefined;
  ctx.issues.add(node, path, `expected true or false, got ${got(text)}`, hint);
  return undefined;
}

export function readDuration(ctx: ReadContext, node: ValueNode | null, path: string): number | undefined {
  if (isScalar(node) && typeof node.value === 'number') {
    return parseDuration(node.value) ?? expectation(ctx, node, path, durationExpectation);
  }
  if (!isScalar(node) || typeof node.value !== 'string') return expectation(ctx, node, path, durationExpectation);
  const text = readText(ctx, node, path, durationExpectation);
  if (text === undefined) return undefined;
  const ms = parseDuration(text.value);
  if (ms === undefined) ctx.issues.add(node, path, `expected ${durationExpectation}, got ${got(text)}`);
  return ms;
}

/** The name of an environment variable, never its value: the value is a secret. */
export function readEnvName(ctx: ReadContext, node: ValueNode | null, path: string): string | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') return expectation(ctx, node, path, 'an environment variable name');
  if (isEnvVarName(node.value)) return node.value;
  const hint = node.value.includes('$')
    ? 'give the name of the variable (SOCKAUDIT_KEY_PASSPHRASE), not ${…}: sockaudit reads it when a key needs it'
    : undefined;
  ctx.issues.add(node, path, `expected an environment variable name like SOCKAUDIT_KEY_PASSPHRASE, got ${describe(node)}`, hint);
  return undefined;
}

function readPath(ctx: ReadContext, node: ValueNode | null, path: string): string | undefined {
  const text = readText(ctx, node, path, 'a path');
  if (text === undefined) return undefined;
  const expanded = expandPath(text.value, ctx.homeDir, ctx.baseDir);
  if (!expanded.ok) {
    ctx.issues.add(node, path, expanded.message, expanded.hint);
    return undefined;
  }
  return expanded.value;
}

/** One path or a list of them; an explicit empty list is kept (it means "none"). */
export function readPathList(ctx: ReadContext, node: ValueNode | null, path: string): string[] | undefined {
  if (isSeq(node)) {
    const paths = node.items.map((item, i) => readPath(ctx, deref(item, ctx.doc), childPath(path, i)));
    return paths.every((p) => p !== undefined) ? paths : undefined;
  }
  if (isScalar(node) && typeof node.value === 'string') {
    const single = readPath(ctx, node, path);
    return single === undefined ? undefined : [single];
  }
  return expectation(ctx, node, path, 'a path or a list of paths');
}

/**
 * ProxyJump hops: `"bastion"`, `"ops@bastion:2222,inner"` as ssh takes them, a list of hops, or
 * `none` (connect directly even where ssh_config names a jump host). An empty list is `none`.
 */
export function readProxyJump(ctx: ReadContext, node: ValueNode | null, path: string): JumpSpec[] | undefined {
  const expected = 'a jump host ("[user@]host[:port]", several separated by commas), a list of them, or none';
  const parts: Array<{ node: ValueNode | null; path: string }> = isSeq(node)
    ? node.items.map((item, i) => ({ node: deref(item, ctx.doc), path: childPath(path, i) }))
    : [{ node, path }];
  const hops: JumpSpec[] = [];
  let ok = true;
  for (const part of parts) {
    const text = readText(ctx, part.node, part.path, expected);
    if (text === undefined) {
      ok = false;
      continue;
    }
    const parsed = parseProxyJump(text.value);
    if (parsed.ok) hops.push(...parsed.hops);
    else {
      ok = false;
      ctx.issues.add(part.node, part.path, `expected ${expected}, got ${parsed.message}`);
    }
  }
  return ok ? hops : undefined;
}

/** Group names: a list, or one name on its own. */
export function readNameList(ctx: ReadContext, node: ValueNode | null, path: string, what: string): string[] | undefined {
  if (isEmpty(node)) return [];
  if (isSeq(node)) {
    const names = node.items.map((item, i) => readName(ctx, deref(item, ctx.doc), childPath(path, i), what));
    return names.every((n) => n !== undefined) ? names : undefined;
  }
  if (isScalar(node)) {
    const single = readName(ctx, node, path, what);
    return single === undefined ? undefined : [single];
  }
  return expectation(ctx, node, path, `a list of ${what} names`);
}

/** A flat string→string map; numbers and booleans keep their written form (`1.10` stays "1.10"). */
export function readLabels(ctx: ReadContext, node: ValueNode | null, path: string): Record<string, string> | undefined {
  if (isEmpty(node)) return {};
  if (!isMap(node)) return expectation(ctx, node, path, 'a map of label names to values');
  const labels: Record<string, string> = {};
  let ok = true;
  for (const entry of mapEntries(node, ctx.doc)) {
    const here = childPath(path, entry.key);
    const value = entry.value;
    if (isScalar(value) && (typeof value.value === 'number' || typeof value.value === 'boolean')) {
      labels[entry.key] = scalarText(value);
      continue;
    }
    const text = readText(ctx, value, here, 'a string, number or boolean');
    if (text === undefined) ok = false;
    else labels[entry.key] = text.value;
  }
  return ok ? labels : undefined;
}
