// One connection, one command: the lifecycle behind Ssh2Shell.exec. It owns the TCP socket (or
// the channel a jump host forwarded), the two timers and the abort listener, settles exactly
// once, and resolves only after the socket has closed, so no path leaves a connection behind.
// The same lifecycle, with `hold` instead of a command, keeps a jump host's connection open
// for the hosts behind it (jump-links.ts).
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import type { Client, ClientChannel, ConnectConfig } from 'ssh2';
import type { SshEndpoint } from '../model/types.js';
import { AuthAttempts } from './auth-attempts.js';
import { sendSignal } from './channel-signal.js';
import type { AuthCandidate } from './credentials.js';
import { describeKey } from './fingerprint.js';
import type { HostKeyCheck } from './host-key-check.js';
import { appendKnownHost } from './known-hosts-file.js';
import type { ExecOptions, ExecOutcome, TransportFailureReason } from './remote-shell.js';
import { classifyError, isTransientError, oneLine, phaseText, type ConnectionPhase } from './ssh-errors.js';
import { applySsh2Shortcuts } from './ssh2-shortcuts.js';

/** What to do once authenticated: run one command, or hand the connection over and keep it. */
export type SessionWork =
  | { kind: 'exec'; command: string; commandTimeoutMs: number }
  | {
      kind: 'hold';
      /** Called once authenticated; `close` ends the connection (the session then resolves). */
      onReady: (client: Client, close: () => void) => void;
    };

/** A forwarded channel to the server, or why the jump host could not open one. */
export type StreamOpening = { ok: true; stream: Duplex } | { ok: false; reason: TransportFailureReason; detail: string; transient?: boolean };

export interface SessionParams {
  endpoint: SshEndpoint;
  work: SessionWork;
  options: ExecOptions;
  /** Reach the server through a jump host; a direct TCP connection when absent. */
  openStream?: () => Promise<StreamOpening>;
  client: Client;
  candidates: readonly AuthCandidate[];
  /** Unusable credentials found while loading them; reported if authentication fails. */
  credentialProblems: readonly string[];
  hostKeys: HostKeyCheck;
  startedAt: number;
}

// After a polite disconnect, how long the peer gets to close its side before we cut it.
const CLOSE_GRACE_MS = 500;

const phaseOrder: readonly ConnectionPhase[] = ['tcp', 'handshake', 'auth', 'command'];

/** Connect, authenticate, run the command; always resolves, after the socket has closed. */
export function runSsh2Session(params: SessionParams): Promise<ExecOutcome> {
  return new Promise((resolve) => new Ssh2Session(params, resolve).start());
}

class Ssh2Session {
  private readonly params: SessionParams;
  private readonly target: string;
  /** The TCP socket, or the jump host's channel once it arrives (undefined until then). */
  private sock: Socket | Duplex | undefined;
  private phase: ConnectionPhase = 'tcp';
  private settled = false;
  private connectTimer: NodeJS.Timeout | undefined;
  private commandTimer: NodeJS.Timeout | undefined;
  private channel: ClientChannel | undefined;
  private connectionGone = false;
  // ssh2's forwarded channels emit 'close' without setting the stream's `closed`.
  private sockClosed = false;

  private readonly auth: AuthAttempts;

  // accept-new: the key to record once the handshake has proven the server holds it.
  private keyToRecord: Buffer | undefined;
  private recording: Promise<string | null> | undefined;

  private readonly stdout: Buffer[] = [];
  private readonly stderr: Buffer[] = [];
  private outputBytes = 0;
  private exitStatus: { code: number | null; signal: string | null } | undefined;

  constructor(
    params: SessionParams,
    private readonly resolveOutcome: (outcome: ExecOutcome) => void,
  ) {
    this.params = params;
    this.target = `${params.endpoint.address}:${params.endpoint.port}`;
    this.auth = new AuthAttempts(params.endpoint.user, params.candidates, params.credentialProblems);
  }

  start(): void {
    const { endpoint, options } = this.params;
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    // One timer for TCP connect (or the jump host's channel) + handshake + authentication;
    // ssh2's readyTimeout is disabled.
    this.connectTimer = setTimeout(() => {
      this.fail('connect-timeout', `no SSH session with ${this.target} within ${endpoint.connectTimeoutMs} ms (timed out ${phaseText[this.phase]})`);
    }, endpoint.connectTimeoutMs);

    const { openStream } = this.params;
    if (openStream === undefined) {
      const sock = new Socket();
      // Without this every small SSH packet waits on delayed ACKs (~85 ms per connection measured).
      sock.setNoDelay(true);
      this.sock = sock;
      sock.once('connect', () => this.advance('handshake'));
      sock.connect({ host: endpoint.address, port: endpoint.port });
      this.connect(sock);
      return;
    }
    openStream().then(
      (opening) => {
        if (!opening.ok) return this.fail(opening.reason, opening.detail, 'abrupt', opening.transient === true);
        if (this.settled) return void opening.stream.destroy();
        this.sock = opening.stream;
        this.advance('handshake');
        this.connect(opening.stream);
      },
      (error: unknown) => this.fail('ssh-error', `cannot reach ${this.target} through the jump host: ${errorMessage(error)}`),
    );
  }

  private connect(sock: Socket | Duplex): void {
    const { endpoint, client, hostKeys } = this.params;
    // ssh2 re-emits socket errors on the client; this listener only guards against an error
    // arriving while the socket has no other listener (if client.connect throws).
    sock.on('error', () => undefined);
    sock.once('close', () => (this.sockClosed = true));
    client.on('handshake', () => this.onHandshake());
    client.on('ready', () => void this.onReady());
    client.on('error', (error) => this.onClientError(error));
    client.on('end', () => (this.connectionGone = true));
    client.on('close', () => this.onClientClose());

    const config: ConnectConfig = {
      sock,
      username: endpoint.user,
      readyTimeout: 0,
      hostVerifier: (key: Buffer) => this.verifyHostKey(key),
      authHandler: this.auth.next,
    };
    if (hostKeys.preferredAlgorithms !== undefined) config.algorithms = { serverHostKey: hostKeys.preferredAlgorithms };
    try {
      client.connect(config);
      applySsh2Shortcuts(client);
    } catch (error) {
      this.fail('ssh-error', `cannot start the SSH connection: ${errorMessage(error)}`);
    }
  }

  /** Phases only move forward; a re-key's 'handshake' event must not move back to 'auth'. */
  private advance(phase: ConnectionPhase): void {
    if (phaseOrder.indexOf(phase) > phaseOrder.indexOf(this.phase)) this.phase = phase;
  }

  private verifyHostKey(key: Buffer): boolean {
    const decision = this.params.hostKeys.verify(key);
    if (!decision.accept) {
      this.fail(decision.reason, decision.detail);
      return false;
    }
    if (decision.record) this.keyToRecord = key;
    return true;
  }

  private onHandshake(): void {
    this.advance('auth');
    const key = this.keyToRecord;
    const file = this.params.endpoint.knownHostsFiles[0];
    if (key === undefined || file === undefined || this.recording !== undefined) return;
    this.recording = appendKnownHost(file, this.params.hostKeys.name, key).then(
      () => null,
      (error: unknown) => `could not add ${describeKey(key)} for ${this.params.hostKeys.name} to ${file}: ${errorMessage(error)}`,
    );
  }

  private async onReady(): Promise<void> {
    if (this.recording !== undefined) {
      const problem = await this.recording;
      if (problem !== null) return this.fail('host-key-unknown', problem);
    }
    if (this.settled) return;
    clearTimeout(this.connectTimer);
    this.advance('command');
    const { work } = this.params;
    if (work.kind === 'exec') return this.startCommand(work.command, work.commandTimeoutMs);
    // A held connection outlives the host that opened it: its deadline no longer applies.
    this.params.options.signal?.removeEventListener('abort', this.onAbort);
    work.onReady(this.params.client, () => this.fail('ssh-error', 'connection closed by sockaudit', 'graceful'));
  }

  private startCommand(command: string, commandTimeoutMs: number): void {
    const { options, client } = this.params;
    this.commandTimer = setTimeout(() => {
      // Ask sshd to kill the command before leaving: closing the connection alone leaves it
      // running until it next writes. (OpenSSH refuses signal requests in root sessions.)
      const signalled = this.channel !== undefined && sendSignal(client, this.channel, 'KILL');
      const action = signalled ? 'sent a KILL request and closed the connection' : 'closed the connection';
      this.fail('command-timeout', `command still running after ${commandTimeoutMs} ms; ${action}`, 'graceful');
    }, commandTimeoutMs);
    try {
      client.exec(command, (error, channel) => {
        if (this.settled) return;
        if (error !== undefined && error !== null) {
          return this.fail('ssh-error', `cannot start the command on ${this.target}: ${errorMessage(error)}`);
        }
        this.attachChannel(channel, options.stdin);
      });
    } catch (error) {
      this.fail('ssh-error', `cannot start the command on ${this.target}: ${errorMessage(error)}`);
    }
  }

  private attachChannel(channel: ClientChannel, stdin: string | undefined): void {
    this.channel = channel;
    channel.on('data', (chunk: Buffer) => this.collect(this.stdout, chunk));
    channel.stderr.on('data', (chunk: Buffer) => this.collect(this.stderr, chunk));
    channel.on('exit', (code: number | null, signal?: string) => {
      // ssh2 reports signals as `SIGKILL`; the result speaks OpenSSH's `KILL`.
      this.exitStatus = { code, signal: signal === undefined ? null : signal.replace(/^SIG/, '') };
    });
    channel.on('error', (error: Error) => this.fail('ssh-error', `command channel error: ${errorMessage(error)}`));
    // 'close' waits for stdout to end but not stderr, which may still hold data.
    channel.on('close', () => {
      if (channel.stderr.readableEnded) this.onChannelClosed();
      else channel.stderr.once('end', () => this.onChannelClosed());
    });
    // Always send EOF so that a command reading stdin cannot wait for more.
    if (stdin === undefined) channel.end();
    else channel.end(stdin);
  }

  private collect(into: Buffer[], chunk: Buffer): void {
    if (this.settled) return;
    this.outputBytes += chunk.length;
    const limit = this.params.options.maxOutputBytes;
    if (this.outputBytes > limit) {
      this.fail('output-limit', `output exceeded the limit of ${limit} bytes (stdout + stderr); stopped reading and closed the connection`);
      return;
    }
    into.push(chunk);
  }

  private onChannelClosed(): void {
    if (this.settled) return;
    const exit = this.exitStatus;
    if (exit === undefined) {
      this.fail(
        'ssh-error',
        this.connectionGone ? 'connection closed before the command finished' : 'the command channel closed without an exit status',
      );
      return;
    }
    this.finish(
      {
        ok: true,
        result: {
          // Decoded only now, so a multi-byte character split across packets stays whole.
          stdout: Buffer.concat(this.stdout).toString('utf8'),
          stderr: Buffer.concat(this.stderr).toString('utf8'),
          exitCode: exit.code,
          signal: exit.signal,
          durationMs: this.elapsed(),
        },
      },
      'graceful',
    );
  }

  private onClientError(error: Error & { level?: string }): void {
    if (this.settled) return;
    // Agent and signing errors are not fatal: ssh2 goes on with the next credential.
    if (error.level === 'agent') return this.auth.agentFailed(errorMessage(error));
    if (error.level === 'client-authentication') {
      if (this.auth.exhausted) this.fail('auth-failed', this.auth.failureDetail());
      else this.auth.problem(errorMessage(error));
      return;
    }
    const { reason, detail } = classifyError(error, this.phase, this.params.endpoint.address, this.params.endpoint.port);
    this.fail(reason, detail, 'abrupt', isTransientError(error, this.phase));
  }

  private onClientClose(): void {
    this.connectionGone = true;
    if (this.settled) return;
    // Let the channel's own close (queued by ssh2 for the same event) settle first: a command
    // whose exit status arrived before the drop still succeeded.
    setImmediate(() => {
      const detail =
        this.phase === 'command'
          ? 'connection closed before the command finished'
          : `${this.target} closed the connection ${phaseText[this.phase]}`;
      // A server that hangs up during the key exchange is usually shedding load (MaxStartups);
      // during authentication it is more likely refusing us, which a retry does not change.
      this.fail('ssh-error', detail, 'abrupt', this.phase === 'handshake');
    });
  }

  private readonly onAbort = (): void => {
    const reason: unknown = this.params.options.signal?.reason;
    const why = reason instanceof Error ? `: ${reason.message}` : typeof reason === 'string' ? `: ${reason}` : '';
    this.fail('deadline', `aborted after ${this.elapsed()} ms ${phaseText[this.phase]}${why}`);
  };

  private elapsed(): number {
    return Math.round(performance.now() - this.params.startedAt);
  }

  private fail(reason: TransportFailureReason, detail: string, close: 'graceful' | 'abrupt' = 'abrupt', transient = false): void {
    const outcome: ExecOutcome = { ok: false, reason, detail: oneLine(detail), durationMs: this.elapsed() };
    if (transient) outcome.transient = true;
    this.finish(outcome, close);
  }

  /**
   * Settle once: stop timers, close the connection, and resolve when the socket has closed
   * and any known_hosts append has finished, so nothing of this exec outlives its promise.
   */
  private finish(outcome: ExecOutcome, close: 'graceful' | 'abrupt'): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.connectTimer);
    clearTimeout(this.commandTimer);
    this.params.options.signal?.removeEventListener('abort', this.onAbort);
    const recorded = this.recording ?? Promise.resolve(null);
    const done = (): void => void recorded.then(() => this.resolveOutcome(outcome));
    const sock = this.sock;
    if (sock === undefined || this.sockClosed || sock.closed) return done();
    let graceTimer: NodeJS.Timeout | undefined;
    sock.once('close', () => {
      clearTimeout(graceTimer);
      done();
    });
    if (close === 'graceful' && !sock.destroyed) {
      // SSH_MSG_DISCONNECT then FIN, so sshd logs a clean disconnect; cut it if the peer lingers.
      this.params.client.end();
      graceTimer = setTimeout(() => {
        sock.destroy();
        // A forwarded channel closes only when the jump host confirms; do not wait on a dead one.
        if (this.params.openStream !== undefined) graceTimer = setTimeout(done, CLOSE_GRACE_MS);
      }, CLOSE_GRACE_MS);
    } else {
      sock.destroy();
      if (this.params.openStream !== undefined) graceTimer = setTimeout(done, CLOSE_GRACE_MS);
    }
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
