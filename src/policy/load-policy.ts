// Entry points for the CLI: read a policy file, or parse text already in memory. Either a
// complete Policy comes back or one ConfigError listing every mistake, each with its line and
// YAML path (`policy.yaml:12 waivers[3].expires: expected a date YYYY-MM-DD, got "soon"`).
// The CLI reads the policy before the inventory, so a bad policy costs no connection.
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isAlias, LineCounter, parseDocument, visit, type YAMLError } from 'yaml';
import { didYouMean } from '../inventory/did-you-mean.js';
import { IssueCollector } from '../inventory/yaml-nodes.js';
import { ConfigError, type ConfigIssue, fileErrorText } from '../model/config-error.js';
import type { Policy } from './policy-types.js';
import { validatePolicy } from './validate-policy.js';

export interface PolicyOptions {
  /** For `${VAR}` in strings, as in the inventory. Default: process.env. */
  env?: NodeJS.ProcessEnv;
}

/** YAML's own words, plus what to do about the two traps of glob patterns. */
function syntaxIssue(error: YAMLError): { message: string; hint?: string } {
  if (error.code === 'MULTIPLE_DOCS') return { message: 'the file holds several YAML documents (---); a policy is one document' };
  const message = `YAML syntax error: ${error.message}`;
  if (error.code === 'BAD_SCALAR_START' && /@/.test(error.message)) return { message, hint: 'YAML reserves @ at the start of a value: quote group patterns, "@web"' };
  if (error.code === 'BAD_ALIAS') return { message, hint: 'YAML reads * at the start of a value as an alias: quote globs, "*" or "*.socket"' };
  return { message };
}

/**
 * `units: *.socket` is valid YAML — an alias of an anchor named `.socket` — and would read as
 * an empty value. Say what happened instead.
 */
function unresolvedAliases(doc: ReturnType<typeof parseDocument>, issues: IssueCollector): void {
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.resolve(doc) === undefined) {
        issues.add(node, '', `*${node.source} is read as a YAML alias, and no anchor &${node.source} exists`, `quote a glob that starts with *: "*${node.source}"`);
      }
    },
  });
}

/** Parses policy text. `file` is used in messages and in the `where` of each entry. */
export function parsePolicy(text: string, file: string, options: PolicyOptions = {}): Policy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true });
  const issues = new IssueCollector(file, lineCounter);
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const { message, hint } = syntaxIssue(error);
      issues.addAt(error.pos[0], '', message, hint);
    }
    throw new ConfigError(issues.issues);
  }
  unresolvedAliases(doc, issues);
  if (issues.issues.length > 0) throw new ConfigError(issues.issues);
  for (const warning of doc.warnings) issues.addAt(warning.pos[0], '', warning.message);

  const ctx = { doc, issues, env: options.env ?? process.env, homeDir: os.homedir(), baseDir: path.dirname(file) };
  const policy = validatePolicy(ctx);
  if (issues.issues.length > 0) {
    // Merge keys and aliases make the walk order differ from the file order; users read top-down.
    throw new ConfigError([...issues.issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  }
  return policy;
}

/** Reads and parses a policy file; an unreadable file is a ConfigError too. */
export async function loadPolicy(file: string, options: PolicyOptions = {}): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = fileErrorText(error);
    throw new ConfigError({ file, message: `cannot read the policy: ${reason}`, hint: 'policy.example.yaml shows every key' });
  }
  return parsePolicy(text, file, options);
}

/**
 * Every `@group` of the policy must be a group of the inventory (membership comes from it):
 * a misspelt group would make a waiver or a requirement silently match nothing.
 */
export function checkPolicyGroups(policy: Policy, inventoryGroups: readonly string[]): void {
  const issues: ConfigIssue[] = [];
  for (const ref of policy.groupReferences) {
    if (inventoryGroups.includes(ref.group)) continue;
    const guess = didYouMean(ref.group, inventoryGroups);
    const hint = guess !== undefined ? `did you mean "@${guess}"?` : inventoryGroups.length === 0 ? 'the inventory defines no groups' : `the inventory's groups: ${inventoryGroups.join(', ')}`;
    issues.push({ file: ref.file, line: ref.line, path: ref.path, message: `no group "${ref.group}" in the inventory`, hint });
  }
  if (issues.length > 0) throw new ConfigError(issues);
}
