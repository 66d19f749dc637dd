// OpenSSH known_hosts parsing and host key lookup, as sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"
// describes it. Pure: reading and appending files lives in known-hosts-file.ts.
//
// A line is `[marker] hostpatterns keytype base64 [comment]`, where hostpatterns is either a
// comma-separated list of patterns (`*`/`?` wildcards, `!` negation, `[host]:port` for a
// non-default port) or one hashed name `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`.
import { createHmac } from 'node:crypto';
import { keyTypeOfBlob } from './fingerprint.js';

export type HostMatcher =
  | { kind: 'hashed'; salt: Buffer; hash: Buffer }
  | { kind: 'patterns'; patterns: readonly HostPattern[] };

export interface HostPattern {
  negated: boolean;
  /** The pattern as written, lower-cased, without the `!`. */
  text: string;
  regex: RegExp;
}

export interface KnownHostEntry {
  /** `file:line`, for messages. */
  source: string;
  /** `@revoked` lines list keys that must never be accepted for the hosts they match. */
  revoked: boolean;
  hosts: HostMatcher;
  /** The key type named inside the key blob (`ssh-ed25519`, `ssh-rsa`, …). */
  keyType: string;
  keyBlob: Buffer;
}

export type HostKeyVerdict =
  /** One of the host's known keys was offered. */
  | { status: 'match'; entry: KnownHostEntry }
  /** No line names this host: trust cannot be established from known_hosts. */
  | { status: 'unknown' }
  /**
   * The host is known but offered another key, or offered a key marked `@revoked`
   * (`revokedBy` set). Never accepted.
   */
  | { status: 'mismatch'; known: KnownHostEntry[]; revokedBy: KnownHostEntry | null };

const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Parse one known_hosts file. Comments, blank lines, `@cert-authority` lines (certificates are
 * not supported) and malformed lines are skipped, as OpenSSH skips lines it cannot use.
 */
export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const entry = parseLine(rawLine, `${file}:${index + 1}`);
    if (entry !== null) entries.push(entry);
  });
  return entries;
}

function parseLine(rawLine: string, source: string): KnownHostEntry | null {
  const line = rawLine.trim();
  if (line === '' || line.startsWith('#')) return null;
  const fields = line.split(/[ \t]+/);
  let revoked = false;
  if (fields[0]?.startsWith('@')) {
    // Only @revoked is honoured; @cert-authority and unknown markers make the line unusable.
    if (fields[0] !== '@revoked') return null;
    revoked = true;
    fields.shift();
  }
  const [hostField, keyType, keyBase64] = fields;
  if (hostField === undefined || keyType === undefined || keyBase64 === undefined) return null;
  if (!base64Pattern.test(keyBase64)) return null;
  const keyBlob = Buffer.from(keyBase64, 'base64');
  // The type inside the blob is authoritative; a line whose type field disagrees is corrupt.
  if (keyTypeOfBlob(keyBlob) !== keyType) return null;
  const hosts = parseHostField(hostField);
  if (hosts === null) return null;
  return { source, revoked, hosts, keyType, keyBlob };
}

function parseHostField(field: string): HostMatcher | null {
  if (field.startsWith('|')) {
    const match = /^\|1\|([A-Za-z0-9+/=]+)\|([A-Za-z0-9+/=]+)$/.exec(field);
    if (match?.[1] === undefined || match[2] === undefined) return null;
    return { kind: 'hashed', salt: Buffer.from(match[1], 'base64'), hash: Buffer.from(match[2], 'base64') };
  }
  const patterns = field
    .split(',')
    .filter((text) => text !== '' && text !== '!')
    .map((text): HostPattern => {
      const negated = text.startsWith('!');
      const body = (negated ? text.slice(1) : text).toLowerCase();
      return { negated, text: body, regex: globToRegExp(body) };
    });
  return patterns.length === 0 ? null : { kind: 'patterns', patterns };
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const char of glob) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * The name OpenSSH looks a host up by: the bare address on port 22, `[address]:port`
 * otherwise, lower-cased (ssh lower-cases host names before any lookup or hashing).
 */
export function knownHostsName(address: string, port: number): string {
  const host = address.toLowerCase();
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Whether a line's host field names `name` (already in knownHostsName form). */
export function entryMatchesHost(entry: KnownHostEntry, name: string): boolean {
  const hosts = entry.hosts;
  if (hosts.kind === 'hashed') {
    const digest = createHmac('sha1', hosts.salt).update(name).digest();
    return digest.equals(hosts.hash);
  }
  // A matching negated pattern vetoes the line even when a positive one also matches.
  let positive = false;
  for (const pattern of hosts.patterns) {
    if (!pattern.regex.test(name)) continue;
    if (pattern.negated) return false;
    positive = true;
  }
  return positive;
}

/** Decide whether `keyBlob`, offered by the host known as `name`, is trusted. */
export function checkHostKey(entries: readonly KnownHostEntry[], name: string, keyBlob: Buffer): HostKeyVerdict {
  const forHost = entries.filter((entry) => entryMatchesHost(entry, name));
  const revokedBy = forHost.find((entry) => entry.revoked && entry.keyBlob.equals(keyBlob)) ?? null;
  const known = forHost.filter((entry) => !entry.revoked);
  if (revokedBy !== null) return { status: 'mismatch', known, revokedBy };
  const entry = known.find((candidate) => candidate.keyBlob.equals(keyBlob));
  if (entry !== undefined) return { status: 'match', entry };
  return known.length === 0 ? { status: 'unknown' } : { status: 'mismatch', known, revokedBy: null };
}

/** Types of the keys known for `name`, in file order, without duplicates. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], name: string): string[] {
  const types = entries
    .filter((entry) => !entry.revoked && entryMatchesHost(entry, name))
    .map((entry) => entry.keyType);
  return [...new Set(types)];
}

/** One known_hosts line, unhashed: `name keytype base64`. */
export function formatKnownHostsLine(name: string, keyBlob: Buffer): string {
  return `${name} ${keyTypeOfBlob(keyBlob) ?? 'unknown-type'} ${keyBlob.toString('base64')}`;
}
