// The built-in demo fleet: a dozen hosts of a small web shop, with the failures that happen
// in production. The hosts are in-process SSH servers; this file only says what each one is.
import type { ListenEntry } from '../model/types.js';

export interface DemoService {
  unit: string;
  description: string;
  load?: 'loaded' | 'not-found';
  active: string;
  sub: string;
  result: string;
  execMainStatus?: number;
  execMainCode?: number;
  nRestarts?: number;
  /** `ExecStart=` argv; the first word is the path. */
  execStart?: string;
}

/**
 * One journal record as a Debian 12 host writes it (see test/fixtures/commands/systemd-252):
 * PID 1's lines about a unit carry `UNIT=`, the daemon's own output `_SYSTEMD_UNIT=`.
 */
export interface DemoJournalLine {
  /** Seconds after the socket's last state change (negative: before it). */
  at: number;
  unit: string;
  message: string;
  priority?: number;
  messageId?: string;
  unitResult?: string;
  errno?: number;
  /** The daemon's own output (not PID 1): its pid and identifier. */
  pid?: number;
  identifier?: string;
}

export interface DemoSocket {
  unit: string;
  description: string;
  listen: ListenEntry[];
  active: 'active' | 'inactive' | 'failed';
  sub: 'listening' | 'running' | 'dead' | 'failed';
  result: string;
  accept?: boolean;
  nAccepted?: number;
  nConnections?: number;
  nRefused?: number;
  /** Minutes before the probe at which the socket last changed state. */
  changedMinutesAgo: number;
  service: DemoService;
  /** Unit file state; `enabled` unless said otherwise. */
  unitFileState?: string;
  /** What the journal holds about the socket and its service around the failure. */
  journal?: DemoJournalLine[];
}

export type DemoHostKind =
  | { kind: 'systemd'; sockets: DemoSocket[] }
  /** An sshd on a machine whose PID 1 is not systemd (a container, an OpenRC box). */
  | { kind: 'no-systemd'; pid1: string }
  /** Nothing listens on its port any more. */
  | { kind: 'refused' }
  /** Answers with a host key that differs from the one in known_hosts. */
  | { kind: 'changed-host-key'; sockets: DemoSocket[] };

export type DemoHost = {
  name: string;
  groups: string[];
  /**
   * `password`: the inventory reads this host's journal through sudo -n (journal_sudo), and
   * its sudo wants a password for that, so the journal stays unread (sudo-required).
   */
  sudo?: 'password';
  /**
   * Reached only through this demo host (the inventory's proxy_jump), under an internal name
   * that resolves nowhere but on that jump host.
   */
  behind?: string;
  /** Forwards connections for the hosts behind it: a bastion. */
  jumpHost?: true;
} & DemoHostKind;

function healthy(unit: string, description: string, address: string, serviceDescription: string): DemoSocket {
  return {
    unit,
    description,
    listen: [{ type: 'Stream', address }],
    active: 'active',
    sub: 'listening',
    result: 'success',
    changedMinutesAgo: 4320,
    service: { unit: unit.replace(/\.socket$/, '.service'), description: serviceDescription, active: 'inactive', sub: 'dead', result: 'success' },
  };
}

const ids = {
  started: '39f53479d3a045ac8e11786248231fbf',
  failed: 'be02cf6855d2428ba40df7e9d022f03d',
  result: 'd9b373ed55a64feb8242e02dbe79a49c',
  exit: '98e322203f7a4ed290d09fe03c09fe15',
  success: '7ad2d189f7e94e70a38c781354912448',
};

/** Someone's debug process holds :8080, as in the lab's port-conflict capture. */
const portTakenJournal: DemoJournalLine[] = [
  { at: 0, unit: 'shop-api.socket', priority: 3, errno: 98, message: 'shop-api.socket: Failed to create listening socket (0.0.0.0:8080): Address already in use' },
  { at: 0, unit: 'shop-api.socket', priority: 4, errno: 98, message: 'shop-api.socket: Failed to listen on sockets: Address already in use' },
  { at: 0, unit: 'shop-api.socket', priority: 4, messageId: ids.result, unitResult: 'resources', message: "shop-api.socket: Failed with result 'resources'." },
  { at: 0, unit: 'shop-api.socket', priority: 3, messageId: ids.failed, message: 'Failed to listen on shop-api.socket - Shop API socket.' },
];

/** The worker exits 78 on every activation until its start limit, like lab-crash. */
function crashLoopJournal(): DemoJournalLine[] {
  const lines: DemoJournalLine[] = [];
  for (let i = 0; i < 5; i++) {
    const pid = 4100 + i;
    lines.push(
      { at: -2 + i * 0.2, unit: 'order-worker.service', priority: 6, messageId: ids.started, message: 'Started order-worker.service - Order worker.' },
      { at: -2 + i * 0.2, unit: 'order-worker.service', priority: 6, pid, identifier: 'order-worker', message: 'order-worker: /etc/order-worker/worker.toml: unknown key "queue_url" (line 12)' },
      { at: -2 + i * 0.2, unit: 'order-worker.service', priority: 5, messageId: ids.exit, message: 'order-worker.service: Main process exited, code=exited, status=78/CONFIG' },
      { at: -2 + i * 0.2, unit: 'order-worker.service', priority: 4, messageId: ids.result, unitResult: 'exit-code', message: "order-worker.service: Failed with result 'exit-code'." },
    );
  }
  lines.push(
    { at: 0, unit: 'order-worker.service', priority: 4, message: 'order-worker.service: Start request repeated too quickly.' },
    { at: 0, unit: 'order-worker.service', priority: 3, messageId: ids.failed, message: 'Failed to start order-worker.service - Order worker.' },
    { at: 0, unit: 'order-worker.socket', priority: 4, messageId: ids.result, unitResult: 'service-start-limit-hit', message: "order-worker.socket: Failed with result 'service-start-limit-hit'." },
  );
  return lines;
}

/** The ingest daemon exits without accepting the connection, so the socket re-triggers. */
function triggerLimitJournal(): DemoJournalLine[] {
  const lines: DemoJournalLine[] = [];
  for (let i = 0; i < 3; i++) {
    lines.push(
      { at: -1 + i * 0.1, unit: 'ingest.service', priority: 6, messageId: ids.started, message: 'Started ingest.service - Event ingest.' },
      { at: -1 + i * 0.1, unit: 'ingest.service', priority: 6, messageId: ids.success, message: 'ingest.service: Deactivated successfully.' },
    );
  }
  lines.push(
    { at: 0, unit: 'ingest.socket', priority: 4, message: 'ingest.socket: Trigger limit hit, refusing further activation.' },
    { at: 0, unit: 'ingest.socket', priority: 4, messageId: ids.result, unitResult: 'trigger-limit-hit', message: "ingest.socket: Failed with result 'trigger-limit-hit'." },
  );
  return lines;
}

/** The mailer package was removed but its socket stayed enabled: refused at every boot. */
const orphanJournal: DemoJournalLine[] = [
  { at: 0, unit: 'mail-submit.socket', priority: 3, message: 'mail-submit.socket: Socket service mail-submit.service not loaded, refusing.' },
  { at: 0, unit: 'mail-submit.socket', priority: 3, messageId: ids.failed, message: 'Failed to listen on mail-submit.socket - Mail submission socket.' },
];

/** The pooler exits on a config error until its start limit (unread on db-2: see there). */
const pgbouncerJournal: DemoJournalLine[] = [
  { at: -1, unit: 'pgbouncer.service', priority: 3, pid: 2210, identifier: 'pgbouncer', message: 'FATAL @src/main.c:566 in function load_config(): cannot load config file' },
  { at: -1, unit: 'pgbouncer.service', priority: 5, messageId: ids.exit, message: 'pgbouncer.service: Main process exited, code=exited, status=1/FAILURE' },
  { at: 0, unit: 'pgbouncer.socket', priority: 4, messageId: ids.result, unitResult: 'service-start-limit-hit', message: "pgbouncer.socket: Failed with result 'service-start-limit-hit'." },
];

const api = (): DemoSocket => healthy('shop-api.socket', 'Shop API socket', '0.0.0.0:8080', 'Shop API server');
const metrics = (): DemoSocket => healthy('node-metrics.socket', 'Metrics endpoint socket', '127.0.0.1:9101', 'Metrics endpoint');
const pgbouncer = (): DemoSocket => ({
  ...healthy('pgbouncer.socket', 'PgBouncer connection pooler socket', '0.0.0.0:6432', 'PgBouncer connection pooler'),
  sub: 'running',
  listen: [
    { type: 'Stream', address: '0.0.0.0:6432' },
    { type: 'Stream', address: '/run/postgresql/.s.PGSQL.6432' },
  ],
  service: { unit: 'pgbouncer.service', description: 'PgBouncer connection pooler', active: 'active', sub: 'running', result: 'success' },
});

/** The worker exits 78 (bad config) on every activation until the start limit: app-2 and app-3. */
function orderWorkerCrashLoop(changedMinutesAgo: number): DemoSocket {
  return {
    ...healthy('order-worker.socket', 'Order worker socket', '/run/order-worker/worker.sock', 'Order worker'),
    active: 'failed',
    sub: 'failed',
    result: 'service-start-limit-hit',
    changedMinutesAgo,
    service: {
      unit: 'order-worker.service',
      description: 'Order worker',
      active: 'failed',
      sub: 'failed',
      result: 'exit-code',
      execMainStatus: 78,
      execMainCode: 1,
      execStart: '/usr/bin/order-worker --config /etc/order-worker/worker.toml',
    },
    journal: crashLoopJournal(),
  };
}

export const demoFleet: DemoHost[] = [
  { name: 'web-1', groups: ['web'], kind: 'systemd', sockets: [api(), metrics()] },
  { name: 'web-2', groups: ['web'], kind: 'systemd', sockets: [{ ...api(), sub: 'running', service: { ...api().service, active: 'active', sub: 'running' } }, metrics()] },
  {
    name: 'web-3',
    groups: ['web'],
    kind: 'systemd',
    sockets: [
      {
        // A leftover process from a manual debug session still holds :8080.
        ...api(),
        active: 'failed',
        sub: 'failed',
        result: 'resources',
        changedMinutesAgo: 47,
        journal: portTakenJournal,
      },
      metrics(),
    ],
  },
  { name: 'web-4', groups: ['web'], kind: 'changed-host-key', sockets: [api(), metrics()] },
  {
    name: 'app-1',
    groups: ['app'],
    kind: 'systemd',
    sockets: [healthy('order-worker.socket', 'Order worker socket', '/run/order-worker/worker.sock', 'Order worker'), metrics()],
  },
  {
    name: 'app-2',
    groups: ['app'],
    kind: 'systemd',
    sockets: [
      orderWorkerCrashLoop(12),
      metrics(),
    ],
  },
  {
    name: 'app-3',
    groups: ['app'],
    kind: 'systemd',
    sockets: [
      orderWorkerCrashLoop(9),
      metrics(),
    ],
  },
  {
    name: 'queue-1',
    groups: ['queue'],
    kind: 'systemd',
    sockets: [
      {
        // A service that never accepts the connection re-triggers the socket in a busy loop.
        ...healthy('ingest.socket', 'Event ingest socket', '[::]:5140', 'Event ingest'),
        listen: [
          { type: 'Stream', address: '[::]:5140' },
          { type: 'Datagram', address: '[::]:5140' },
        ],
        active: 'failed',
        sub: 'failed',
        result: 'trigger-limit-hit',
        nRefused: 1,
        changedMinutesAgo: 3,
        service: { unit: 'ingest.service', description: 'Event ingest', active: 'inactive', sub: 'dead', result: 'success' },
        journal: triggerLimitJournal(),
      },
      metrics(),
    ],
  },
  {
    name: 'queue-2',
    groups: ['queue'],
    kind: 'systemd',
    sockets: [
      {
        ...healthy('ingest.socket', 'Event ingest socket', '[::]:5140', 'Event ingest'),
        sub: 'running',
        service: { unit: 'ingest.service', description: 'Event ingest', active: 'active', sub: 'running', result: 'success' },
      },
      metrics(),
    ],
  },
  // The database hosts sit behind a bastion: one SSH connection to it carries both audits.
  { name: 'bastion-1', groups: ['ops'], jumpHost: true, kind: 'systemd', sockets: [metrics()] },
  { name: 'db-1', groups: ['db'], behind: 'bastion-1', kind: 'systemd', sockets: [pgbouncer(), metrics()] },
  {
    name: 'db-2',
    groups: ['db'],
    behind: 'bastion-1',
    // Its login may not read the journal itself, and the sudo rule for journalctl was never
    // added: the pooler's crash loop is read from systemd's state, without its journal lines.
    sudo: 'password',
    kind: 'systemd',
    sockets: [
      {
        ...pgbouncer(),
        active: 'failed',
        sub: 'failed',
        result: 'service-start-limit-hit',
        changedMinutesAgo: 21,
        service: {
          unit: 'pgbouncer.service',
          description: 'PgBouncer connection pooler',
          active: 'failed',
          sub: 'failed',
          result: 'exit-code',
          execMainStatus: 1,
          execMainCode: 1,
          execStart: '/usr/sbin/pgbouncer /etc/pgbouncer/pgbouncer.ini',
        },
        // On the host, behind the sudo that wants a password: the probe never sees these.
        journal: pgbouncerJournal,
      },
      metrics(),
    ],
  },
  {
    name: 'mail-1',
    groups: ['mail'],
    kind: 'systemd',
    sockets: [
      {
        // The mailer package was removed; its enabled socket stays behind, never listens, and
        // is not in `systemctl --failed` (inactive, Result=success).
        ...healthy('mail-submit.socket', 'Mail submission socket', '0.0.0.0:587', 'Mail submission'),
        active: 'inactive',
        sub: 'dead',
        changedMinutesAgo: 4320,
        service: { unit: 'mail-submit.service', description: 'mail-submit.service', load: 'not-found', active: 'inactive', sub: 'dead', result: 'success' },
        journal: orphanJournal,
      },
      metrics(),
    ],
  },
  { name: 'edge-1', groups: ['edge'], kind: 'refused' },
  { name: 'legacy-1', groups: ['legacy'], kind: 'no-systemd', pid1: 'init' },
];
