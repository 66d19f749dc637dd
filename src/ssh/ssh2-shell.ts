// The default RemoteShell: ssh2 in-process, one connection per command, public keys only,
// host keys always verified against OpenSSH known_hosts files. This is the only module that
// loads ssh2 at run time; its helpers receive what they need from here.
import { performance } from 'node:perf_hooks';
import ssh2 from 'ssh2';
import type { HostTarget } from '../model/types.js';
import { loadCredentials, type Credentials, type KeyParser } from './credentials.js';
import { HostKeyCheck } from './host-key-check.js';
import { readKnownHostsFiles } from './known-hosts-file.js';
import { knownHostsName } from './known-hosts.js';
import { KnownHostsIndex } from './known-hosts-index.js';
import type { ExecOptions, ExecOutcome, RemoteShell, TransportFailureReason } from './remote-shell.js';
import { oneLine } from './ssh-errors.js';
import { runSsh2Session } from './ssh2-session.js';

// ssh2 is CommonJS; Node's ESM loader only exposes its module.exports as the default export.
const { Client, utils } = ssh2;
const parseKey: KeyParser = utils.parseKey;

export interface Ssh2ShellOptions {
  /**
   * Record the key of a host missing from known_hosts in the first known_hosts file and
   * connect (OpenSSH's StrictHostKeyChecking=accept-new). A changed key is still refused.
   */
  acceptNewHostKeys?: boolean;
  /** Where SSH_AUTH_SOCK and passphrase variables are read from; process.env by default. */
  env?: NodeJS.ProcessEnv;
}

/**
 * One instance serves one audit run. Key files and known_hosts files are the same for most
 * hosts of a fleet, so they are read, decrypted (bcrypt for OpenSSH keys: tens of ms) and
 * parsed once per run, not once per host. Keys appended under accept-new do not need the
 * cache refreshed: each append re-reads the file, and each host name is checked once.
 */
export class Ssh2Shell implements RemoteShell {
  private readonly acceptNewHostKeys: boolean;
  private readonly env: NodeJS.ProcessEnv;
  private readonly credentialsCache = new Map<string, Promise<Credentials>>();
  private readonly knownHostsCache = new Map<string, Promise<IndexedKnownHosts>>();

  constructor(options: Ssh2ShellOptions = {}) {
    this.acceptNewHostKeys = options.acceptNewHostKeys ?? false;
    this.env = options.env ?? process.env;
  }

  async exec(host: HostTarget, command: string, options: ExecOptions): Promise<ExecOutcome> {
    const startedAt = performance.now();
    const failure = (reason: TransportFailureReason, detail: string): ExecOutcome => ({
      ok: false,
      reason,
      detail: oneLine(detail),
      durationMs: Math.round(performance.now() - startedAt),
    });
    try {
      if (options.signal?.aborted) return failure('deadline', 'aborted before connecting');

      // Local preparation first: a bad key file or an unreadable known_hosts is reported
      // without touching the network.
      const credentials = await this.credentials(host);
      if (credentials.candidates.length === 0) {
        return failure('auth-failed', noCredentialsDetail(credentials.problems));
      }
      const knownHosts = await this.knownHosts(host.knownHostsFiles);
      const unreadable = knownHosts.unreadable[0];
      if (unreadable !== undefined) {
        // Guessing here could turn a known host into a "new" one under accept-new.
        return failure('host-key-unknown', `cannot verify the host key: cannot read ${unreadable.file}: ${unreadable.message}`);
      }
      if (options.signal?.aborted) return failure('deadline', 'aborted before connecting');

      return await runSsh2Session({
        host,
        command,
        options,
        client: new Client(),
        candidates: credentials.candidates,
        credentialProblems: credentials.problems,
        hostKeys: new HostKeyCheck(host, knownHosts.index.entriesFor(knownHostsName(host.address, host.port)), this.acceptNewHostKeys),
        startedAt,
      });
    } catch (error) {
      // The port never throws for a host's behaviour; anything here is our own surprise.
      return failure('ssh-error', `unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private credentials(host: HostTarget): Promise<Credentials> {
    const key = JSON.stringify([host.useAgent, host.passphraseEnv ?? null, host.identityFiles]);
    return memo(this.credentialsCache, key, () => loadCredentials(host, this.env, parseKey));
  }

  private knownHosts(files: readonly string[]): Promise<IndexedKnownHosts> {
    return memo(this.knownHostsCache, JSON.stringify(files), async () => {
      const read = await readKnownHostsFiles(files);
      return { unreadable: read.unreadable, index: new KnownHostsIndex(read.entries) };
    });
  }
}

/** known_hosts files read once per run, indexed so that each host's lookup is not a full scan. */
interface IndexedKnownHosts {
  unreadable: { file: string; message: string }[];
  index: KnownHostsIndex;
}

function memo<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (value === undefined) {
    value = load();
    cache.set(key, value);
  }
  return value;
}

function noCredentialsDetail(problems: readonly string[]): string {
  if (problems.length > 0) return `no usable SSH credential: ${problems.join('; ')}`;
  return 'no SSH credential to offer: configure an identity file for this host or enable ssh-agent (SSH_AUTH_SOCK)';
}
