// What a host's public-key authentication can offer: ssh-agent, then each identity file.
// Keys are read and decrypted before connecting so that a bad key file is reported by name
// instead of surfacing as a vague "authentication failed" from the server.
import { readFile } from 'node:fs/promises';
import type { ParsedKey } from 'ssh2';
import type { SshEndpoint } from '../model/types.js';

/**
 * ssh2's `utils.parseKey`, passed in so that ssh2-shell.ts stays the only module importing
 * ssh2. It returns an array for OpenSSH-format files (which may hold several keys) although
 * its typings say otherwise.
 */
export type KeyParser = (data: Buffer, passphrase?: string) => ParsedKey | ParsedKey[] | Error;

export type AuthCandidate =
  | { kind: 'agent'; label: string; socketPath: string }
  | { kind: 'key'; label: string; key: ParsedKey };

export interface Credentials {
  /** What to offer the server, in order. */
  candidates: AuthCandidate[];
  /** Credentials that were asked for but cannot be used, one sentence each, naming the file. */
  problems: string[];
}

/**
 * Asks the person running sockaudit for the passphrase of an encrypted key file (on a
 * terminal), once per file and run; undefined when they give none or nobody can be asked.
 */
export type PassphrasePrompt = (file: string) => Promise<string | undefined>;

export async function loadCredentials(
  host: SshEndpoint,
  env: NodeJS.ProcessEnv,
  parseKey: KeyParser,
  askPassphrase?: PassphrasePrompt,
): Promise<Credentials> {
  const credentials: Credentials = { candidates: [], problems: [] };
  if (host.useAgent) {
    const socketPath = env.SSH_AUTH_SOCK;
    if (socketPath === undefined || socketPath === '') {
      credentials.problems.push('ssh-agent is enabled but SSH_AUTH_SOCK is not set');
    } else {
      credentials.candidates.push({ kind: 'agent', label: `ssh-agent (${socketPath})`, socketPath });
    }
  }
  const passphrase = host.passphraseEnv === undefined ? undefined : env[host.passphraseEnv];
  for (const file of host.identityFiles) {
    const loaded = await loadIdentityFile(file, passphrase === '' ? undefined : passphrase, host.passphraseEnv, parseKey, askPassphrase);
    if (typeof loaded === 'string') credentials.problems.push(loaded);
    else credentials.candidates.push({ kind: 'key', label: file, key: loaded });
  }
  return credentials;
}

/** The private key in `file`, or a sentence saying why it cannot be used. */
async function loadIdentityFile(
  file: string,
  passphrase: string | undefined,
  passphraseEnv: string | undefined,
  parseKey: KeyParser,
  askPassphrase: PassphrasePrompt | undefined,
): Promise<ParsedKey | string> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : errorText(error);
    return `cannot read identity file ${file}: ${why}`;
  }
  let parsed = parseKey(data, passphrase);
  // The passphrase tried, named for the message if it is wrong.
  let source = passphrase === undefined ? undefined : `the passphrase from ${passphraseEnv ?? 'the environment'}`;
  // No passphrase in the environment: ask on the terminal, as ssh would (never in CI: no TTY).
  if (parsed instanceof Error && passphrase === undefined && askPassphrase !== undefined && /no passphrase given/i.test(parsed.message)) {
    const typed = await askPassphrase(file);
    if (typed !== undefined && typed !== '') {
      parsed = parseKey(data, typed);
      source = 'the passphrase typed at the prompt';
    }
  }
  if (parsed instanceof Error) return describeParseError(file, parsed.message, source, passphraseEnv);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key === undefined || !key.isPrivateKey()) {
    return `identity file ${file} holds no private key (a .pub file?)`;
  }
  return key;
}

/** `source` names the passphrase that was tried (from a variable, or typed); undefined if none. */
function describeParseError(file: string, message: string, source: string | undefined, passphraseEnv: string | undefined): string {
  if (/no passphrase given/i.test(message)) {
    if (passphraseEnv === undefined) {
      return `identity file ${file} is encrypted and no passphrase variable is configured for this host`;
    }
    return `identity file ${file} is encrypted and environment variable ${passphraseEnv} is not set`;
  }
  if (source !== undefined && /bad passphrase|bad decrypt/i.test(message)) return `cannot decrypt identity file ${file} with ${source}`;
  return `cannot use identity file ${file}: ${message}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
