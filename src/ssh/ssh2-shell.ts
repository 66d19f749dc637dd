// The default RemoteShell: ssh2 in-process, one connection per command, public keys only,
// host keys always verified against OpenSSH known_hosts files. This is the only module that
// loads ssh2 at run time; its helpers receive what they need from here.
import { performance } from 'node:perf_hooks';
import ssh2 from 'ssh2';
import type { HostTarget, JumpHost, SshEndpoint } from '../model/types.js';
import { loadCredentials, type Credentials, type KeyParser, type PassphrasePrompt } from './credentials.js';
import { HostKeyCheck } from './host-key-check.js';
import { readKnownHostsFiles } from './known-hosts-file.js';
import { knownHostsName } from './known-hosts.js';
import { JumpLinks, type HopLogin } from './jump-links.js';
import { KnownHostsIndex } from './known-hosts-index.js';
import type { ExecOptions, ExecOutcome, RemoteShell, TransportFailureReason } from './remote-shell.js';
import { oneLine } from './ssh-errors.js';
import { runSsh2Session, type StreamOpening } from './ssh2-session.js';

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
  /** How long a jump host's connection stays open with no host using it. */
  jumpLingerMs?: number;
  /**
   * Asks for the passphrase of an encrypted key that no passphrase variable unlocks (the CLI
   * passes a terminal prompt when it has one). Asked once per key file, one question at a time.
   */
  askPassphrase?: PassphrasePrompt;
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
  private readonly jumps: JumpLinks;
  private readonly askPassphrase: PassphrasePrompt | undefined;

  constructor(options: Ssh2ShellOptions = {}) {
    this.acceptNewHostKeys = options.acceptNewHostKeys ?? false;
    this.env = options.env ?? process.env;
    this.askPassphrase = options.askPassphrase === undefined ? undefined : oncePerFile(options.askPassphrase);
    this.jumps = new JumpLinks((hop, openStream) => this.loginToHop(hop, openStream), options.jumpLingerMs);
  }

  /** Closes the connections to jump hosts kept for the hosts behind them. */
  close(): Promise<void> {
    this.jumps.close();
    return Promise.resolve();
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

      const prepared = await this.prepare(host);
      if (!prepared.ok) return failure(prepared.reason, prepared.detail);
      if (options.signal?.aborted) return failure('deadline', 'aborted before connecting');

      const jumps = host.jumps ?? [];
      return await runSsh2Session({
        endpoint: host,
        work: { kind: 'exec', command, commandTimeoutMs: host.commandTimeoutMs },
        options,
        client: new Client(),
        ...prepared.session,
        startedAt,
        ...(jumps.length === 0 ? {} : { openStream: () => this.jumps.openStream(jumps, host.address, host.port) }),
      });
    } catch (error) {
      // The port never throws for a host's behaviour; anything here is our own surprise.
      return failure('ssh-error', `unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * Local preparation first: a bad key file or an unreadable known_hosts is reported without
   * touching the network.
   */
  private async prepare(endpoint: SshEndpoint): Promise<Prepared> {
    const credentials = await this.credentials(endpoint);
    if (credentials.candidates.length === 0) return { ok: false, reason: 'auth-failed', detail: noCredentialsDetail(credentials.problems) };
    const knownHosts = await this.knownHosts(endpoint.knownHostsFiles);
    const unreadable = knownHosts.unreadable[0];
    if (unreadable !== undefined) {
      // Guessing here could turn a known host into a "new" one under accept-new.
      return { ok: false, reason: 'host-key-unknown', detail: `cannot verify the host key: cannot read ${unreadable.file}: ${unreadable.message}` };
    }
    const acceptNew = this.acceptNewHostKeys || endpoint.acceptNewHostKey === true;
    return {
      ok: true,
      session: {
        candidates: credentials.candidates,
        credentialProblems: credentials.problems,
        hostKeys: new HostKeyCheck(endpoint, knownHosts.index.entriesFor(knownHostsName(endpoint.address, endpoint.port)), acceptNew),
      },
    };
  }

  /** Logs in to a jump host and keeps the connection, verified and authenticated like any host. */
  private async loginToHop(hop: JumpHost, openStream: (() => Promise<StreamOpening>) | undefined): Promise<HopLogin> {
    const startedAt = performance.now();
    const prepared = await this.prepare(hop);
    if (!prepared.ok) return { ok: false, reason: prepared.reason, detail: oneLine(prepared.detail) };
    return new Promise((resolve) => {
      const closed = runSsh2Session({
        endpoint: hop,
        work: { kind: 'hold', onReady: (client, close) => resolve({ ok: true, client, close, closed }) },
        // The link serves many hosts: no one host's deadline or output limit applies to it.
        options: { maxOutputBytes: 0 },
        client: new Client(),
        ...prepared.session,
        startedAt,
        ...(openStream === undefined ? {} : { openStream }),
      });
      // Settles only if the login failed: after onReady, resolve() is a no-op.
      void closed.then((outcome) => resolve(outcome.ok ? { ok: false, reason: 'ssh-error', detail: 'connection ended before login' } : outcome));
    });
  }

  private credentials(host: SshEndpoint): Promise<Credentials> {
    const key = JSON.stringify([host.useAgent, host.passphraseEnv ?? null, host.identityFiles]);
    return memo(this.credentialsCache, key, () => loadCredentials(host, this.env, parseKey, this.askPassphrase));
  }

  private knownHosts(files: readonly string[]): Promise<IndexedKnownHosts> {
    return memo(this.knownHostsCache, JSON.stringify(files), async () => {
      const read = await readKnownHostsFiles(files);
      return { unreadable: read.unreadable, index: new KnownHostsIndex(read.entries) };
    });
  }
}

type Prepared =
  | { ok: true; session: Pick<Parameters<typeof runSsh2Session>[0], 'candidates' | 'credentialProblems' | 'hostKeys'> }
  | { ok: false; reason: TransportFailureReason; detail: string };

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

/** The same file is asked for once; different files one after another, never two prompts at once. */
function oncePerFile(ask: PassphrasePrompt): PassphrasePrompt {
  const answers = new Map<string, Promise<string | undefined>>();
  let queue: Promise<unknown> = Promise.resolve();
  return (file) =>
    memo(answers, file, () => {
      const answer = queue.then(() => ask(file));
      queue = answer.catch(() => undefined);
      return answer.catch(() => undefined);
    });
}

function noCredentialsDetail(problems: readonly string[]): string {
  if (problems.length > 0) return `no usable SSH credential: ${problems.join('; ')}`;
  return 'no SSH credential to offer: configure an identity file for this host or enable ssh-agent (SSH_AUTH_SOCK)';
}
