// Entry points for the CLI: read a file, or parse text already in memory. Both either return a
// complete inventory or throw one ConfigError listing every mistake found.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { ConfigError } from '../model/config-error.js';
import type { HostTarget } from '../model/types.js';
import { resolveHosts, type Environment } from './resolve-hosts.js';
import type { SshConfigLookup } from './ssh-config.js';
import { validateInventory } from './validate-inventory.js';
import { IssueCollector } from './yaml-nodes.js';

export interface Inventory {
  /** The path as the user gave it, for messages. */
  file: string;
  /** In file order. */
  hosts: HostTarget[];
  /** Groups declared under `groups:` in order, then groups only used as tags, by first use. */
  groups: string[];
}

/** The parts of the local machine an inventory depends on; injectable so tests do not. */
export interface InventoryOptions {
  /** For `${VAR}` and SSH_AUTH_SOCK. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** For `~` and the default key and known_hosts files. Default: os.homedir(). */
  homeDir?: string;
  /** The default `user`. Default: os.userInfo().username. */
  userName?: string;
  /** Decides which of ~/.ssh/id_{ed25519,ecdsa,rsa} are offered by default. Default: fs.existsSync. */
  fileExists?: (file: string) => boolean;
  /** The OpenSSH client config to apply under the inventory (open-inventory.ts reads it). */
  sshConfig?: SshConfigLookup;
}

function localUserName(): string | undefined {
  try {
    return os.userInfo().username;
  } catch {
    // Containers often run under a uid with no passwd entry.
    return undefined;
  }
}

export function environmentFrom(options: InventoryOptions): Environment {
  const env = options.env ?? process.env;
  const userName = options.userName;
  return {
    env,
    homeDir: options.homeDir ?? os.homedir(),
    userName: userName === undefined ? () => localUserName() ?? env.USER ?? env.LOGNAME : () => userName,
    fileExists: options.fileExists ?? existsSync,
    ...(options.sshConfig === undefined ? {} : { sshConfig: options.sshConfig }),
  };
}

function syntaxMessage(error: YAMLError): string {
  if (error.code === 'MULTIPLE_DOCS') return 'the file holds several YAML documents (---); an inventory is one document';
  return `YAML syntax error: ${error.message}`;
}

function declaredGroupsThenTags(declared: readonly string[], hosts: readonly HostTarget[]): string[] {
  const names = new Set(declared);
  for (const host of hosts) for (const group of host.groups) names.add(group);
  return [...names];
}

/** Parses inventory text. `file` is used for messages and as the base of relative paths. */
export function parseInventory(text: string, file: string, options: InventoryOptions = {}): Inventory {
  const environment = environmentFrom(options);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true });
  const issues = new IssueCollector(file, lineCounter);

  // After a syntax error the tree is a guess; validating it would bury the real mistake in noise.
  if (doc.errors.length > 0) {
    for (const error of doc.errors) issues.addAt(error.pos[0], '', syntaxMessage(error));
    throw new ConfigError(issues.issues);
  }
  for (const warning of doc.warnings) issues.addAt(warning.pos[0], '', warning.message);

  const ctx = { doc, issues, env: environment.env, homeDir: environment.homeDir, baseDir: path.dirname(file) };
  const validated = validateInventory(ctx);
  const { hosts, problems } = resolveHosts(validated, environment, 'set user: under defaults:');
  for (const problem of problems) issues.add(null, '', problem.message, problem.hint);
  if (issues.issues.length > 0) {
    // Merge keys and aliases make the walk order differ from the file order; users read top-down.
    throw new ConfigError([...issues.issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  }
  return { file, hosts, groups: declaredGroupsThenTags(validated.groups.map((group) => group.name), hosts) };
}

/** Reads and parses an inventory file; an unreadable file is a ConfigError too. */
export async function loadInventory(file: string, options: InventoryOptions = {}): Promise<Inventory> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError({ file, message: `cannot read inventory: ${reason}` });
  }
  return parseInventory(text, file, options);
}
