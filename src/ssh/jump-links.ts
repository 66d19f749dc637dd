// Connections to ProxyJump hosts, shared by every audited host behind them: a bastion in front
// of 500 servers gets one SSH connection from sockaudit, carrying one forwarded channel per
// server (OpenSSH's `ssh -J` would log in to the bastion 500 times). A link lives while some
// channel uses it, then lingers briefly for the next host, and `close()` ends them all.
import type { Client } from 'ssh2';
import type { JumpHost } from '../model/types.js';
import type { TransportFailureReason } from './remote-shell.js';
import { oneLine } from './ssh-errors.js';
import type { StreamOpening } from './ssh2-session.js';

/** What logging in to one hop gave: a held connection, or the failure. */
export type HopLogin =
  | { ok: true; client: Client; close: () => void; closed: Promise<unknown> }
  | { ok: false; reason: TransportFailureReason; detail: string; transient?: boolean };

/** Log in to `hop`, over `openStream` when it sits behind another hop, and keep the connection. */
export type HopConnector = (hop: JumpHost, openStream: (() => Promise<StreamOpening>) | undefined) => Promise<HopLogin>;

interface Link {
  hop: JumpHost;
  client: Client;
  close: () => void;
  /** Channels open through this link, and links built on top of it. */
  users: number;
  gone: boolean;
  idleTimer?: NodeJS.Timeout;
}

type LinkResult = { ok: true; link: Link } | Extract<HopLogin, { ok: false }>;

/** How long an unused link stays open for the next host behind it. */
const defaultLingerMs = 2_000;

export class JumpLinks {
  private readonly links = new Map<string, Promise<LinkResult>>();
  private readonly open = new Set<Link>();
  /** Set by close(): a login that finishes afterwards is ended at once, not kept. */
  private closed = false;

  constructor(
    private readonly connectHop: HopConnector,
    private readonly lingerMs = defaultLingerMs,
  ) {}

  /** A channel to `address:port` through `hops` (the last hop opens it). */
  async openStream(hops: readonly JumpHost[], address: string, port: number): Promise<StreamOpening> {
    if (this.closed) return { ok: false, reason: 'deadline', detail: 'the run has ended: no new connection through a jump host' };
    const result = await this.acquire(hops);
    if (!result.ok) return result;
    return this.forward(result.link, address, port);
  }

  /** Ends every link; hosts still using one see their connection close. */
  close(): void {
    this.closed = true;
    for (const link of this.open) this.end(link);
    this.links.clear();
  }

  private acquire(hops: readonly JumpHost[]): Promise<LinkResult> {
    const key = JSON.stringify(hops.map(({ label: _label, ...endpoint }) => endpoint));
    let entry = this.links.get(key);
    if (entry === undefined) {
      entry = this.connect(hops, key);
      this.links.set(key, entry);
    }
    return entry;
  }

  private async connect(hops: readonly JumpHost[], key: string): Promise<LinkResult> {
    const hop = hops.at(-1);
    if (hop === undefined) return { ok: false, reason: 'ssh-error', detail: 'empty jump host chain' };
    const before = hops.slice(0, -1);
    let parent: Link | undefined;
    if (before.length > 0) {
      const reached = await this.acquire(before);
      if (!reached.ok) return this.forget(key, reached);
      parent = reached.link;
      parent.users++;
      this.busy(parent);
    }
    const via = parent;
    const login = await this.connectHop(hop, via === undefined ? undefined : () => this.forward(via, hop.address, hop.port, false));
    if (!login.ok) {
      if (via !== undefined) this.release(via);
      return this.forget(key, { ...login, detail: `jump host ${hop.label}: ${login.detail}` });
    }
    if (this.closed) {
      // The run ended while this login was under way (Ctrl-C, deadline): nobody will use it.
      login.close();
      if (via !== undefined) this.release(via);
      return { ok: false, reason: 'deadline', detail: `jump host ${hop.label}: the run ended during the login` };
    }
    const link: Link = { hop, client: login.client, close: login.close, users: 0, gone: false };
    this.open.add(link);
    void login.closed.then(() => {
      link.gone = true;
      clearTimeout(link.idleTimer);
      this.open.delete(link);
      // The next host behind this hop logs in again instead of using a dead connection.
      void this.links.get(key)?.then((current) => {
        if (current.ok && current.link === link) this.links.delete(key);
      });
      if (via !== undefined) this.release(via);
    });
    this.idle(link);
    return { ok: true, link };
  }

  /**
   * A failure is kept for the rest of the run, so that the hosts behind a bastion that refused
   * us are reported at once instead of each trying again; a transient one (reset, MaxStartups)
   * is forgotten so that the collector's retry logs in afresh.
   */
  private forget(key: string, failure: Extract<LinkResult, { ok: false }>): LinkResult {
    if (failure.transient === true) this.links.delete(key);
    return failure;
  }

  private forward(link: Link, address: string, port: number, countsAsUser = true): Promise<StreamOpening> {
    const where = `${address}:${port}`;
    const through = `jump host ${link.hop.label}`;
    if (link.gone) return Promise.resolve({ ok: false, reason: 'ssh-error', detail: `${through} closed its connection`, transient: true });
    if (countsAsUser) {
      link.users++;
      this.busy(link);
    }
    return new Promise((resolve) => {
      const failed = (reason: TransportFailureReason, detail: string, transient = false): void => {
        if (countsAsUser) this.release(link);
        resolve({ ok: false, reason, detail: oneLine(detail), ...(transient ? { transient } : {}) });
      };
      try {
        // The originator address is informational (sshd logs it); OpenSSH's -W sends the same.
        link.client.forwardOut('127.0.0.1', 0, address, port, (error, channel) => {
          if (error !== undefined && error !== null) {
            const { reason, detail } = classifyOpenFailure(error, where);
            return failed(reason, `${through}: ${detail}`);
          }
          if (countsAsUser) channel.once('close', () => this.release(link));
          resolve({ ok: true, stream: channel });
        });
      } catch (error) {
        failed('ssh-error', `${through}: cannot open a channel to ${where}: ${error instanceof Error ? error.message : String(error)}`, true);
      }
    });
  }

  private busy(link: Link): void {
    clearTimeout(link.idleTimer);
    link.idleTimer = undefined;
  }

  private release(link: Link): void {
    link.users--;
    if (link.users <= 0) this.idle(link);
  }

  private idle(link: Link): void {
    clearTimeout(link.idleTimer);
    link.idleTimer = setTimeout(() => {
      if (link.users <= 0) this.end(link);
    }, this.lingerMs);
  }

  private end(link: Link): void {
    clearTimeout(link.idleTimer);
    if (!link.gone) link.close();
  }
}

/**
 * A refused direct-tcpip channel: RFC 4254's reason code and sshd's description (OpenSSH puts
 * strerror there: "Connection refused", "No route to host", "Connection timed out").
 */
function classifyOpenFailure(error: Error & { reason?: unknown }, where: string): { reason: TransportFailureReason; detail: string } {
  const text = error.message.replace(/^\(SSH\)\s*/, '').replace(/:\s*$/, '');
  if (error.reason === 1 || /administratively prohibited/i.test(text)) {
    return { reason: 'ssh-error', detail: `not allowed to forward to ${where} (${text}); the jump host needs AllowTcpForwarding yes for this user` };
  }
  if (/refused/i.test(text)) return { reason: 'refused', detail: `connection to ${where} refused (${text})` };
  if (/no route|unreachable/i.test(text)) return { reason: 'unreachable', detail: `${where} is unreachable from the jump host (${text})` };
  if (/timed out/i.test(text)) return { reason: 'connect-timeout', detail: `TCP connection from the jump host to ${where} timed out (${text})` };
  if (/name or service|not known|resolve|getaddrinfo/i.test(text)) return { reason: 'dns', detail: `the jump host cannot resolve ${where} (${text})` };
  // RFC 4254 SSH_OPEN_CONNECT_FAILED without words (ssh2 servers send none).
  if (error.reason === 2) return { reason: 'unreachable', detail: `the jump host could not connect to ${where} (${text}, connect failed)` };
  return { reason: 'ssh-error', detail: `cannot open a channel to ${where}: ${text}` };
}
