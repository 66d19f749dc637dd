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
}

export type DemoHostKind =
  | { kind: 'systemd'; sockets: DemoSocket[] }
  /** An sshd on a machine whose PID 1 is not systemd (a container, an OpenRC box). */
  | { kind: 'no-systemd'; pid1: string }
  /** Nothing listens on its port any more. */
  | { kind: 'refused' }
  /** Answers with a host key that differs from the one in known_hosts. */
  | { kind: 'changed-host-key'; sockets: DemoSocket[] };

export type DemoHost = { name: string; groups: string[] } & DemoHostKind;

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
      {
        // The worker exits 78 (bad config) on every activation until the start limit.
        ...healthy('order-worker.socket', 'Order worker socket', '/run/order-worker/worker.sock', 'Order worker'),
        active: 'failed',
        sub: 'failed',
        result: 'service-start-limit-hit',
        changedMinutesAgo: 12,
        service: {
          unit: 'order-worker.service',
          description: 'Order worker',
          active: 'failed',
          sub: 'failed',
          result: 'exit-code',
          execMainStatus: 78,
          execMainCode: 1,
          nRestarts: 0,
        },
      },
      metrics(),
    ],
  },
  {
    name: 'app-3',
    groups: ['app'],
    kind: 'systemd',
    sockets: [
      {
        ...healthy('order-worker.socket', 'Order worker socket', '/run/order-worker/worker.sock', 'Order worker'),
        active: 'failed',
        sub: 'failed',
        result: 'service-start-limit-hit',
        changedMinutesAgo: 9,
        service: { unit: 'order-worker.service', description: 'Order worker', active: 'failed', sub: 'failed', result: 'exit-code', execMainStatus: 78, execMainCode: 1 },
      },
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
  { name: 'db-1', groups: ['db'], kind: 'systemd', sockets: [pgbouncer(), metrics()] },
  { name: 'edge-1', groups: ['edge'], kind: 'refused' },
  { name: 'legacy-1', groups: ['legacy'], kind: 'no-systemd', pid1: 'init' },
];
