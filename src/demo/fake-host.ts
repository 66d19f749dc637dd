// An in-process SSH server (ssh2's Server) that plays a remote host: the demo runs the audit
// against a few of these, and the tests use them to act out hosts that answer, hang, drop the
// connection or flood. Only public-key authentication is accepted, signatures checked.
import { connect, createServer, type Socket } from 'node:net';
import ssh2 from 'ssh2';
import type { AuthContext, Connection, ParsedKey, ServerChannel } from 'ssh2';
import { openSshPublicKey } from '../ssh/fingerprint.js';
import { knownHostsName } from '../ssh/known-hosts.js';
import { generateEd25519KeyPair } from './ssh-key-pair.js';

// ssh2 is CommonJS; Node's ESM loader only exposes its module.exports as the default export.
const { Server, utils } = ssh2;
// OpenSSH-format private keys parse to an array (a file may hold several); the typings omit it.
const parseKey: (data: string | Buffer) => ParsedKey | ParsedKey[] | Error = utils.parseKey;

/** One `exec` request, handed to `onExec`. The handler plays the remote command. */
export interface FakeExec {
  readonly command: string;
  readonly username: string;
  /** Everything the client wrote to stdin, once it closes stdin (or goes away). */
  readonly stdin: Promise<string>;
  /** Resolves when the client closes the channel or the connection is gone. */
  readonly gone: Promise<void>;
  readonly isGone: boolean;
  /** Resolves with the first signal the client sends (`KILL`, `TERM`, …). */
  readonly signalled: Promise<string>;
  /**
   * Write to stdout. Resolves true once the data is accepted (waiting on SSH flow control
   * when the client reads slowly), false when the client has gone: a flood loop is
   * `while (await exec.write(chunk)) {}`.
   */
  write(data: string | Buffer): Promise<boolean>;
  writeStderr(data: string | Buffer): Promise<boolean>;
  /** Write the outputs, then exit with the code: a complete scripted reply. */
  respond(reply: { stdout?: string; stderr?: string; exitCode?: number }): Promise<void>;
  /** Send the exit status and close the channel. */
  exit(code: number): void;
  /** End as if killed by a signal (`exit-signal`). */
  exitBySignal(signal: string): void;
  /** Close the channel without any exit status. */
  close(): void;
  /** Drop the TCP connection at once, as a crashed host or a cut network would. */
  disconnect(): void;
}

export interface FakeHostOptions {
  /** Host private key(s), PEM or OpenSSH; a fresh ed25519 key when absent. */
  hostKey?: string | Buffer | readonly (string | Buffer)[];
  /** Client public keys allowed to log in, OpenSSH one-line format (`ssh-ed25519 AAAA… comment`). */
  authorizedKeys: readonly string[];
  /**
   * Plays each command. When the returned promise settles and the handler has not ended the
   * channel, the fake host exits 0 (or writes the error to stderr and exits 255 on rejection).
   */
  onExec: (exec: FakeExec) => void | Promise<void>;
  /**
   * Act as a jump host: open the TCP connections clients ask for (`direct-tcpip`, what
   * ProxyJump uses). Refused by default, as an sshd with AllowTcpForwarding no would. A
   * function is the jump host's own view of the network: it maps an address the client asked
   * for to where to connect (names only the jump host can resolve), undefined for "no route".
   */
  allowForwarding?: boolean | ForwardRoute;
}

export type ForwardRoute = (address: string, port: number) => { host: string; port: number } | undefined;

export interface FakeHost {
  readonly port: number;
  /** The (first) host public key, `type base64`. */
  readonly hostPublicKey: string;
  readonly hostPublicKeys: readonly string[];
  /** A known_hosts line for the first host key: `[address]:port type base64`. */
  knownHostsLine(address?: string): string;
  /** TCP connections accepted so far, and those still open. */
  readonly connectionCount: number;
  readonly openConnections: number;
  /** Authentication methods clients tried, in order (`publickey`, `none`, `password`, …). */
  readonly authMethods: readonly string[];
  /** `address:port` of each forwarded connection clients asked for, in order. */
  readonly forwardRequests: readonly string[];
  /** Resolves when no connection is open (at once if none is). */
  whenIdle(): Promise<void>;
  /** Stop listening and drop every open connection. */
  close(): Promise<void>;
}

export async function startFakeHost(options: FakeHostOptions): Promise<FakeHost> {
  const hostKeys = toList(options.hostKey ?? generateEd25519KeyPair().privateKey);
  const hostPublicKeys = hostKeys.map((key) => openSshPublicKey(parseOne(key, 'host key').getPublicSSH()));
  const authorized = options.authorizedKeys.map((key) => parseOne(key, 'authorized key'));

  const sockets = new Set<Socket>();
  let connectionCount = 0;
  const authMethods: string[] = [];
  const forwardRequests: string[] = [];
  let idleWaiters: (() => void)[] = [];

  // We own the listening socket so that close() can reach every connection, and give each
  // connection its own ssh2 Server so that what ssh2 logs about it (see SignalBox) is its own.
  const tcpServer = createServer((socket) => {
    connectionCount += 1;
    sockets.add(socket);
    // Small SSH packets would otherwise wait on delayed ACKs, tens of milliseconds each.
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        waiters.forEach((resolve) => resolve());
      }
    });
    const signals = new SignalBox();
    const sshServer = new Server({ hostKeys: [...hostKeys], debug: (line) => signals.observe(line) }, (connection) =>
      serveConnection(connection, {
        socket,
        signals,
        authorized,
        authMethods,
        onExec: options.onExec,
        forwarding: forwardingOf(options.allowForwarding, forwardRequests),
      }),
    );
    sshServer.injectSocket(socket);
  });
  await new Promise<void>((resolve, reject) => {
    tcpServer.once('error', reject);
    tcpServer.listen(0, '127.0.0.1', () => resolve());
  });
  const address = tcpServer.address();
  if (address === null || typeof address === 'string') throw new Error('fake host: no TCP port');
  const port = address.port;

  return {
    port,
    hostPublicKey: hostPublicKeys[0] ?? '',
    hostPublicKeys,
    knownHostsLine: (host = '127.0.0.1') => `${knownHostsName(host, port)} ${hostPublicKeys[0] ?? ''}`,
    get connectionCount() {
      return connectionCount;
    },
    get openConnections() {
      return sockets.size;
    },
    authMethods,
    forwardRequests,
    whenIdle: () => (sockets.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => tcpServer.close(() => resolve()));
    },
  };
}

interface ConnectionContext {
  socket: Socket;
  signals: SignalBox;
  authorized: readonly ParsedKey[];
  authMethods: string[];
  onExec: FakeHostOptions['onExec'];
  forwarding: Forwarding | undefined;
}

/** How a jump host forwards: its routes, and where requests are logged. */
interface Forwarding {
  route: ForwardRoute;
  log: string[];
}

function forwardingOf(allow: FakeHostOptions['allowForwarding'], log: string[]): Forwarding | undefined {
  if (allow === undefined || allow === false) return undefined;
  return { route: allow === true ? (host, port) => ({ host, port }) : allow, log };
}

function serveConnection(connection: Connection, { socket, signals, authorized, authMethods, onExec, forwarding }: ConnectionContext): void {
  connection.on('error', () => undefined);
  let username = '';
  connection.on('authentication', (context) => {
    authMethods.push(context.method);
    if (isAuthorized(context, authorized)) {
      username = context.username;
      context.accept();
    } else {
      context.reject(['publickey']);
    }
  });
  // Without a listener ssh2 answers "administratively prohibited", as sshd does.
  if (forwarding !== undefined) connection.on('tcpip', (accept, reject, info) => {
    forwarding.log.push(`${info.destIP}:${info.destPort}`);
    const to = forwarding.route(info.destIP, info.destPort);
    if (to === undefined) return reject();
    const upstream = connect(to);
    upstream.setNoDelay(true);
    upstream.once('error', () => reject());
    upstream.once('connect', () => {
      const channel = accept();
      upstream.removeAllListeners('error');
      upstream.on('error', () => channel.destroy());
      channel.on('error', () => upstream.destroy());
      channel.pipe(upstream).pipe(channel);
      // The jump connection going away takes its channels' TCP connections with it.
      socket.once('close', () => upstream.destroy());
    });
  });
  connection.on('session', (acceptSession) => {
    const session = acceptSession();
    session.on('signal', (accept, _reject, info) => {
      // The client does not ask for a reply to a signal; ssh2 then passes no accept function.
      if (typeof accept === 'function') accept();
      signals.deliver(info.name);
    });
    session.once('exec', (accept, _reject, info) => {
      // Dropping means closing the TCP socket without a word; ssh2's end() would say goodbye.
      const exec = new ChannelExec(accept(), info.command, username, connection, () => socket.destroy(), signals);
      void exec.run(onExec);
    });
  });
}

function isAuthorized(context: AuthContext, authorized: readonly ParsedKey[]): boolean {
  if (context.method !== 'publickey') return false;
  const key = authorized.find((candidate) => candidate.getPublicSSH().equals(context.key.data));
  if (key === undefined) return false;
  // Without a signature the client only asks whether the key would do; ssh2 answers PK_OK.
  if (context.signature === undefined || context.blob === undefined) return true;
  return key.verify(context.blob, context.signature, context.hashAlgo) === true;
}

/**
 * Signals the client sent on one connection. ssh2's server drops every channel request that
 * arrives after the client closed stdin, signals included, although OpenSSH's sshd honours
 * them; so besides its 'signal' event we read the request from ssh2's debug log.
 */
class SignalBox {
  readonly first: Promise<string>;
  private resolveFirst: (name: string) => void = () => undefined;
  constructor() {
    this.first = new Promise((resolve) => (this.resolveFirst = resolve));
  }
  observe(debugLine: string): void {
    const match = /Inbound: CHANNEL_REQUEST \(r:\d+, signal: (\w+)\)/.exec(debugLine);
    if (match?.[1] !== undefined) this.deliver(match[1]);
  }
  deliver(name: string): void {
    this.resolveFirst(name);
  }
}

class ChannelExec implements FakeExec {
  readonly stdin: Promise<string>;
  readonly gone: Promise<void>;
  readonly signalled: Promise<string>;
  private goneNow = false;
  private ended = false;
  private readonly goneListeners = new Set<() => void>();

  constructor(
    private readonly channel: ServerChannel,
    readonly command: string,
    readonly username: string,
    connection: Connection,
    private readonly drop: () => void,
    signals: SignalBox,
  ) {
    this.signalled = signals.first;
    const input: Buffer[] = [];
    channel.on('data', (chunk: Buffer) => input.push(chunk));
    this.stdin = new Promise((resolve) => channel.once('end', () => resolve(Buffer.concat(input).toString('utf8'))));
    this.gone = new Promise((resolve) => {
      const markGone = (): void => {
        if (this.goneNow) return;
        this.goneNow = true;
        this.goneListeners.forEach((listener) => listener());
        resolve();
      };
      channel.once('close', markGone);
      connection.once('close', markGone);
    });
  }

  get isGone(): boolean {
    return this.goneNow;
  }

  async run(onExec: FakeHostOptions['onExec']): Promise<void> {
    try {
      await onExec(this);
      if (!this.ended && !this.goneNow) this.exit(0);
    } catch (error) {
      if (this.ended || this.goneNow) return;
      await this.writeStderr(`fake host: ${error instanceof Error ? error.message : String(error)}\n`);
      this.exit(255);
    }
  }

  write(data: string | Buffer): Promise<boolean> {
    return this.writeTo(this.channel, data);
  }

  writeStderr(data: string | Buffer): Promise<boolean> {
    return this.writeTo(this.channel.stderr, data);
  }

  async respond(reply: { stdout?: string; stderr?: string; exitCode?: number }): Promise<void> {
    if (reply.stdout !== undefined && reply.stdout !== '') await this.write(reply.stdout);
    if (reply.stderr !== undefined && reply.stderr !== '') await this.writeStderr(reply.stderr);
    this.exit(reply.exitCode ?? 0);
  }

  exit(code: number): void {
    this.end(() => this.channel.exit(code));
  }

  exitBySignal(signal: string): void {
    this.end(() => this.channel.exit(signal));
  }

  close(): void {
    this.end(() => undefined);
  }

  disconnect(): void {
    this.ended = true;
    this.drop();
  }

  private end(sendStatus: () => void): void {
    if (this.ended || this.goneNow) return;
    this.ended = true;
    sendStatus();
    // EOF then CHANNEL_CLOSE, after any queued output.
    this.channel.end();
  }

  private writeTo(stream: NodeJS.WritableStream, data: string | Buffer): Promise<boolean> {
    if (this.ended || this.goneNow) return Promise.resolve(false);
    if (stream.write(data)) {
      // Yield to I/O between writes, so a flood notices the client leaving.
      return new Promise((resolve) => setImmediate(() => resolve(!this.goneNow)));
    }
    // ssh2 never calls back a write on a closed channel, so also wake up when the client goes.
    return new Promise((resolve) => {
      const settle = (accepted: boolean): void => {
        stream.removeListener('drain', onDrain);
        this.goneListeners.delete(onGone);
        resolve(accepted);
      };
      const onDrain = (): void => settle(true);
      const onGone = (): void => settle(false);
      stream.once('drain', onDrain);
      this.goneListeners.add(onGone);
    });
  }
}

function toList(keys: string | Buffer | readonly (string | Buffer)[]): (string | Buffer)[] {
  return typeof keys === 'string' || Buffer.isBuffer(keys) ? [keys] : [...keys];
}

function parseOne(key: string | Buffer, what: string): ParsedKey {
  const parsed = parseKey(key);
  if (parsed instanceof Error) throw new Error(`fake host: cannot parse ${what}: ${parsed.message}`);
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  if (first === undefined) throw new Error(`fake host: no key in ${what}`);
  return first;
}
