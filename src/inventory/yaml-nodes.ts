// The validator walks the YAML AST rather than plain JS data so that every complaint can name
// the line it is about. These helpers hide the AST's corners: aliases, merge keys, empty values.
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { ConfigIssue } from '../model/config-error.js';

export type ValueNode = Scalar | YAMLMap | YAMLSeq;

/** Collects every mistake with its file, line and YAML path, so they can be thrown together. */
export class IssueCollector {
  readonly issues: ConfigIssue[] = [];

  constructor(
    readonly file: string,
    private readonly lineCounter: LineCounter,
  ) {}

  lineOf(node: Node | null | undefined): { line: number; column: number } | undefined {
    const offset = node?.range?.[0];
    return offset === undefined ? undefined : this.lineAt(offset);
  }

  lineAt(offset: number): { line: number; column: number } {
    const pos = this.lineCounter.linePos(offset);
    // linePos reports line 0 before the first newline has been counted.
    return { line: Math.max(1, pos.line), column: pos.col };
  }

  add(node: Node | null | undefined, path: string, message: string, hint?: string): void {
    this.addAt(node?.range?.[0], path, message, hint);
  }

  addAt(offset: number | undefined, path: string, message: string, hint?: string): void {
    const issue: ConfigIssue = { file: this.file, message };
    if (offset !== undefined) {
      const pos = this.lineAt(offset);
      issue.line = pos.line;
      issue.column = pos.column;
    }
    if (path !== '') issue.path = path;
    if (hint !== undefined) issue.hint = hint;
    this.issues.push(issue);
  }
}

/** Follows an alias to the node it names; everything else is returned as is. */
export function deref(value: unknown, doc: Document): ValueNode | null {
  if (isAlias(value)) return value.resolve(doc) ?? null;
  if (isScalar(value) || isMap(value) || isSeq(value)) return value;
  return null;
}

/** A YAML `null` or an empty value (`port:`) — treated as "nothing written here". */
export function isEmpty(node: ValueNode | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

export interface MapEntry {
  key: string;
  keyNode: ValueNode | null;
  value: ValueNode | null;
}

/** A scalar as it was written (`0x16`, `1.10`), which is what a user recognises in a message. */
export function scalarText(scalar: Scalar): string {
  if (scalar.source !== undefined) return scalar.source;
  const value = scalar.value;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return JSON.stringify(value) ?? '';
}

function keyText(node: ValueNode | null): string {
  if (node === null) return '';
  return isScalar(node) ? scalarText(node) : node.toString();
}

/**
 * The entries of a map with `<<: *anchor` merge keys expanded. Explicit keys win over merged
 * ones, as YAML 1.1 specifies, and the first merge source wins over later ones.
 */
export function mapEntries(map: YAMLMap, doc: Document, seen: Set<YAMLMap> = new Set()): MapEntry[] {
  seen.add(map);
  const own: MapEntry[] = [];
  const merged: MapEntry[] = [];
  for (const pair of map.items) {
    const keyNode = deref(pair.key, doc);
    if (isScalar(keyNode) && typeof keyNode.value === 'symbol') {
      const source = deref(pair.value, doc);
      const sources = isSeq(source) ? source.items.map((item) => deref(item, doc)) : [source];
      for (const src of sources) {
        if (isMap(src) && !seen.has(src)) merged.push(...mapEntries(src, doc, seen));
      }
      continue;
    }
    own.push({ key: keyText(keyNode), keyNode, value: deref(pair.value, doc) });
  }
  const result = [...own];
  for (const entry of merged) {
    if (!result.some((existing) => existing.key === entry.key)) result.push(entry);
  }
  return result;
}

/** How a found value reads in "expected …, got …". */
export function describe(node: ValueNode | null): string {
  if (node === null) return 'an empty value';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (node.value === null) return 'an empty value';
  if (typeof node.value === 'string') return JSON.stringify(node.value);
  return scalarText(node);
}

/** Appends `.key` or `[index]` to a YAML path, quoting keys that would read ambiguously. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const safe = /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
  return parent === '' ? safe : `${parent}.${safe}`;
}
