// The one rich fleet every report format is golden-tested on: failed and broken sockets,
// unknown hosts of several reasons, non-ASCII text, and hostile strings a lying host could
// send (HTML/JS payloads, spreadsheet formulas, terminal escapes, tabs and newlines).
// `rich-report-fixture.test.ts` keeps test/fixtures/reports/rich-report.json equal to the
// report assessed from these outcomes (regenerate with `npx vitest run -u test/report`).
import { assessFleet } from '../../src/model/assess.js';
import { defaultGatePolicy } from '../../src/model/exit-code.js';
import { applyGate } from '../../src/policy/apply-gate.js';
import { findingKey } from '../../src/policy/baseline.js';
import { parsePolicy } from '../../src/policy/load-policy.js';
import type { FleetReport, HostOutcome, JournalEntry, JournalExcerpt, SocketState } from '../../src/model/types.js';
import { audited, makeService, makeSnapshot, makeSocket, unknown } from '../helpers/model-factories.js';

export const hostile = {
  script: '<script>alert(1)</script>',
  img: '"><img src=x onerror=alert(1)>',
  formula: "=cmd|' /C calc'!A0",
  plus: '+1',
  at: '@SUM(1)',
  ansi: '\u001b[31mred\u001b[0m \u001b]0;pwned\u0007',
} as const;

const deb12 = { systemdVersion: 252, systemdVersionText: 'systemd 252 (252.39-1~deb12u2)' };
const deb13 = { systemdVersion: 257, systemdVersionText: 'systemd 257 (257.9-1~deb13u1)' };
const deb11 = { systemdVersion: 247, systemdVersionText: 'systemd 247 (247.3-7+deb11u7)' };
// UNIT_RESULT= on journal lines only exists from 240: a recorded capability gap.
const el8 = {
  systemdVersion: 239,
  systemdVersionText: 'systemd 239 (239-82.el8_10.2)',
  capabilities: { nRefused: true, stateChangeTimestamp: true, nRestarts: true, journalUnitResult: false, templateCheck: true },
};
const fullJournal = { journalAccess: 'full', journalAccessDetail: null } as const;

function entry(time: string, unit: string, priority: number, message: string, extra: Partial<JournalEntry> = {}): JournalEntry {
  return { time, unit, priority, message, identifier: unit.endsWith('.service') ? unit.replace(/\.service$/, '') : 'systemd', ...extra };
}

function excerpt(socket: string, units: string[], entries: JournalEntry[]): JournalExcerpt {
  return { socket, units, since: '2026-11-28T09:00:00.000Z', entries, skippedLines: 0, truncated: false, error: null };
}

const shopApiFailed = makeSocket({
  unit: 'shop-api.socket',
  description: `Shop API ${hostile.img}`,
  active: 'failed',
  sub: 'failed',
  result: 'resources',
  listen: [{ type: 'Stream', address: '0.0.0.0:8080' }],
  stateChangedAt: '2026-11-28T09:13:00.000Z',
});
const shopApiService = makeService({ unit: 'shop-api.service', description: 'Shop API server', execStart: { path: '/usr/bin/shop-api', argv: '/usr/bin/shop-api --listen-fd 3' } });

const orderWorkerFailed = makeSocket({
  unit: 'order-worker.socket',
  description: '注文ワーカー socket — Café ☕',
  active: 'failed',
  sub: 'failed',
  result: 'service-start-limit-hit',
  listen: [{ type: 'Stream', address: `/run/order-worker/${hostile.script}.sock` }],
  stateChangedAt: '2026-11-28T09:40:12.000Z',
});
const orderWorkerService = makeService({
  unit: 'order-worker.service',
  description: 'Order worker',
  active: 'failed',
  sub: 'failed',
  result: 'exit-code',
  execMainStatus: 1,
  execMainCode: 1,
  nRestarts: 5,
  execStart: { path: '/opt/shop/bin/order-worker', argv: '/opt/shop/bin/order-worker --queue orders' },
});
const orderWorkerJournal = excerpt('order-worker.socket', ['order-worker.socket', 'order-worker.service'], [
  entry('2026-11-28T09:40:11.100Z', 'order-worker.service', 3, `設定エラー: ${hostile.script} ${hostile.ansi}`),
  entry('2026-11-28T09:40:11.200Z', 'order-worker.service', 5, 'order-worker.service: Main process exited, code=exited, status=1/FAILURE', { identifier: 'systemd' }),
  entry('2026-11-28T09:40:12.000Z', 'order-worker.socket', 3, "order-worker.socket: Failed with result 'service-start-limit-hit'.", { identifier: 'systemd', unitResult: 'service-start-limit-hit' }),
]);

const healthy = (unit: string, address: string, description: string): SocketState =>
  makeSocket({ unit, description, listen: [{ type: 'Stream', address }], stateChangedAt: '2026-11-25T08:00:00.000Z' });

export const richOutcomes: HostOutcome[] = [
  audited(
    { name: 'web-1', address: '10.0.0.11', groups: ['web'], labels: { rack: 'a1', team: 'Café ☕' } },
    makeSnapshot({
      ...deb12,
      sockets: [
        healthy('shop-api.socket', '0.0.0.0:8080', 'Shop API socket'),
        healthy('node-metrics.socket', '127.0.0.1:9101', 'Métriques 指标'),
        // systemd's own escaping puts backslashes in unit names.
        healthy('gpg\\x2dagent-ssh.socket', '/run/user/0/gnupg/S.gpg-agent.ssh', 'GnuPG cryptographic agent (ssh-agent emulation)'),
      ],
      services: { 'shop-api.service': shopApiService, 'node-metrics.service': makeService({ unit: 'node-metrics.service' }) },
    }),
  ),
  audited(
    { name: 'web-2', address: '10.0.0.12', groups: ['web'] },
    makeSnapshot({
      ...deb12,
      ...fullJournal,
      systemState: 'degraded',
      sockets: [shopApiFailed, healthy('node-metrics.socket', '127.0.0.1:9101', 'Metrics')],
      services: { 'shop-api.service': shopApiService },
      journal: [
        excerpt('shop-api.socket', ['shop-api.socket', 'shop-api.service'], [
          entry('2026-11-28T09:12:59.000Z', 'shop-api.service', 6, `request from ${hostile.img} ${hostile.formula}`),
          entry('2026-11-28T09:13:00.000Z', 'shop-api.socket', 3, 'shop-api.socket: Failed to create listening socket (0.0.0.0:8080): Address already in use', { errno: 98 }),
          entry('2026-11-28T09:13:00.001Z', 'shop-api.socket', 3, "shop-api.socket: Failed with result 'resources'.", { unitResult: 'resources' }),
        ]),
      ],
    }),
  ),
  audited(
    { name: 'web-3', address: '10.0.0.13', groups: ['web'] },
    // Same failure, but the probe's user may not read the journal: no evidence, and it says why.
    makeSnapshot({ ...deb13, systemState: 'degraded', journalAccess: 'none', journalAccessDetail: 'No journal files were opened due to insufficient permissions.', sockets: [shopApiFailed], services: { 'shop-api.service': shopApiService } }),
  ),
  audited(
    { name: 'app-1', address: '10.0.1.21', groups: ['app'] },
    makeSnapshot({ ...deb12, ...fullJournal, systemState: 'degraded', sockets: [orderWorkerFailed], services: { 'order-worker.service': orderWorkerService }, journal: [orderWorkerJournal] }),
  ),
  audited(
    { name: 'app-東京-2', address: '10.0.1.22', port: 2222, groups: ['app'] },
    makeSnapshot({
      ...deb11,
      journalAccess: 'partial',
      journalAccessDetail: 'Hint: You are currently not seeing messages from other users and the system.',
      systemState: 'degraded',
      sockets: [
        orderWorkerFailed,
        // Broken: its service unit does not exist, so systemd refuses to start it at all.
        makeSocket({
          unit: 'metrics-push.socket',
          description: `Metrics\tpush\nsecond line ${hostile.ansi}`,
          active: 'inactive',
          sub: 'dead',
          result: 'success',
          listen: [{ type: 'Datagram', address: '[::]:9125' }],
          triggers: ['metrics-push.service'],
        }),
      ],
      services: {
        'order-worker.service': orderWorkerService,
        'metrics-push.service': makeService({ unit: 'metrics-push.service', load: 'not-found', active: 'inactive', sub: 'dead', loadError: 'Unit metrics-push.service not found.', fragmentPath: null, execStart: null }),
      },
    }),
  ),
  audited(
    { name: 'queue-1', address: '10.0.2.31', groups: ['queue'] },
    makeSnapshot({
      ...el8,
      ...fullJournal,
      systemState: 'degraded',
      sockets: [
        makeSocket({
          unit: 'ingest.socket',
          description: hostile.formula,
          active: 'failed',
          sub: 'failed',
          result: 'trigger-limit-hit',
          accept: true,
          nAccepted: 18234,
          nConnections: 0,
          listen: [{ type: 'Stream', address: '0.0.0.0:5672' }],
          triggers: [],
          template: { unit: 'ingest@.service', found: true },
        }),
        // Broken before it was ever started: a bad setting in its unit file, and a target wants it.
        makeSocket({
          unit: 'legacy-rpc.socket',
          description: `${hostile.plus} legacy RPC`,
          load: 'bad-setting',
          active: 'inactive',
          sub: 'dead',
          loadError: 'Unit legacy-rpc.socket has a bad unit file setting.',
          listen: [],
          triggers: ['legacy-rpc.service'],
          unitFileState: 'bad',
          wantedBy: ['multi-user.target'],
        }),
        // Accept=yes without its template: every connection fails.
        makeSocket({
          unit: 'finger.socket',
          description: 'Finger server',
          accept: true,
          listen: [{ type: 'Stream', address: '0.0.0.0:79' }],
          triggers: [],
          template: { unit: 'finger@.service', found: false },
        }),
      ],
      services: {},
      journal: [
        excerpt('ingest.socket', ['ingest.socket'], [
          entry('2026-11-28T07:59:43.000Z', 'ingest.socket', 4, 'ingest.socket: Trigger limit hit, refusing further activation.'),
          entry('2026-11-28T07:59:43.001Z', 'ingest.socket', 3, "ingest.socket: Failed with result 'trigger-limit-hit'."),
        ]),
      ],
    }),
  ),
  audited(
    { name: 'db-1', address: '10.0.3.41', groups: ['db'], labels: { role: hostile.img } },
    makeSnapshot({
      ...deb13,
      ...fullJournal,
      systemState: 'degraded',
      sockets: [
        // Listening, but MaxConnections= is reached and connections are refused.
        makeSocket({
          ...healthy('pgbouncer.socket', '/run/postgresql/.s.PGSQL.6432', 'PgBouncer | pooler `sock`'),
          triggers: ['pgbouncer.service'],
          nConnections: 64,
          maxConnections: 64,
          nRefused: 12,
        }),
        // Its service keeps crashing and is being restarted right now.
        makeSocket({ unit: 'metrics-relay.socket', description: 'Metrics relay', listen: [{ type: 'Stream', address: '127.0.0.1:9200' }], sub: 'running', triggers: ['metrics-relay.service'] }),
        // Switched off on purpose (or by mistake).
        makeSocket({ unit: 'telnet.socket', description: 'Telnet', listen: [{ type: 'Stream', address: '0.0.0.0:23' }], load: 'masked', active: 'inactive', sub: 'dead', fragmentPath: '/dev/null', unitFileState: 'masked', triggers: [], wantedBy: [] }),
        // A lying host: a unit name and Result no real systemd would print.
        makeSocket({
          unit: `evil${hostile.img}\n.socket`,
          description: hostile.script,
          active: 'failed',
          sub: 'failed',
          result: hostile.at,
          listen: [{ type: 'Stream', address: `-${hostile.formula}` }],
          triggers: [`evil${hostile.script}.service`],
        }),
      ],
      services: {
        'pgbouncer.service': makeService({ unit: 'pgbouncer.service', active: 'active', sub: 'running' }),
        'metrics-relay.service': makeService({ unit: 'metrics-relay.service', active: 'activating', sub: 'auto-restart', result: 'exit-code', execMainCode: 1, execMainStatus: 2, nRestarts: 41 }),
      },
      journal: [
        excerpt('metrics-relay.socket', ['metrics-relay.socket', 'metrics-relay.service'], [
          entry('2026-11-28T09:59:58.000Z', 'metrics-relay.service', 3, 'panic: listen tcp: address @SUM(1): missing port'),
          entry('2026-11-28T09:59:58.100Z', 'metrics-relay.service', 5, 'metrics-relay.service: Main process exited, code=exited, status=2/INVALIDARGUMENT', { identifier: 'systemd' }),
        ]),
      ],
    }),
  ),
  unknown({ name: 'edge-1', address: '198.51.100.7' }, 'refused', 'connect ECONNREFUSED 198.51.100.7:22'),
  unknown({ name: 'edge-2', address: '198.51.100.8' }, 'refused', 'connect ECONNREFUSED 198.51.100.8:22'),
  unknown({ name: 'edge-3', address: '198.51.100.9', port: 2200 }, 'connect-timeout', 'TCP connect, SSH handshake and authentication did not finish within 10 s'),
  unknown(
    { name: 'web-4', address: '10.0.0.14' },
    'host-key-mismatch',
    'host key for [10.0.0.14]:22 changed: known ssh-ed25519 SHA256:Nn8nU2Yl0GJrwGJ1BpL1Vw3lQ2T9Z4kD1eY7o0kC8xk, offered SHA256:p3XvQ0d1ZlS9vJmF2aE8bN6cR4tY7uI0oP5qW3eR1tY',
  ),
  unknown({ name: 'legacy-1', address: '10.0.9.1' }, 'no-systemd', `PID 1 is "init" (sysvinit), not systemd; banner: ${hostile.script} ${hostile.plus}`),
  unknown({ name: 'odd-1', address: '10.0.9.2' }, 'parse-error', `unexpected line ${JSON.stringify('x')}: ${hostile.ansi}\r\n=HYPERLINK("http://evil.example","click")\tend`),
];

const meta = { toolVersion: '0.1.0', startedAt: new Date('2026-11-28T10:00:00.000Z'), finishedAt: new Date('2026-11-28T10:00:02.345Z') };

/**
 * The gate every golden shows: waivers active, expiring (web-2, in 5 days), expired (queue-1)
 * and stale, requirements unmet three ways, per-kind and per-cause thresholds — with hostile
 * text in a reason and an owner, because a saved report's policy text is input too.
 */
export const richPolicyYaml = `thresholds:
  max_unknown: 2
  fail_on: warning
  fail_on_kinds: { socket-masked: never }
  fail_on_causes: { unknown: critical }
waivers:
  - hosts: "@app"
    units: order-worker.socket
    kind: socket-failed
    reason: ${JSON.stringify(`Worker config migration ${hostile.script}, OPS-1234`)}
    owner: ${JSON.stringify(`Café ☕ team ${hostile.img}`)}
    expires: 2027-01-15
  - hosts: web-2
    units: shop-api.socket
    reason: Port clash with the legacy proxy until it is retired
    owner: web
    expires: 2026-12-03
  - hosts: "queue-*"
    units: "*.socket"
    cause: trigger-limit-hit
    reason: ${JSON.stringify(`${hostile.formula} ingest rewrite`)}
    expires: 2026-11-01
  - hosts: "@db"
    units: telnet.socket
    reason: masked on purpose
    expires: 2027-06-30
  - hosts: "mail-*"
    units: "*.socket"
    reason: decommissioned
    expires: 2027-01-01
required:
  - hosts: "@web"
    unit: node-metrics.socket
    listen: ["127.0.0.1:9101"]
  - hosts: db-1
    unit: pgbouncer.socket
    listen: ["0.0.0.0:6432"]
    severity: warning
  - hosts: "@web"
    unit: shop-api.socket
`;

/** The run before: three of today's findings, and one that is gone since. */
const previousRun = {
  startedAt: '2026-11-27T10:00:00.000Z',
  findings: [
    { host: 'web-2', unit: 'shop-api.socket', kind: 'socket-failed' },
    { host: 'app-1', unit: 'order-worker.socket', kind: 'socket-failed' },
    { host: 'queue-1', unit: 'ingest.socket', kind: 'socket-failed' },
    { host: 'web-1', unit: 'shop-api.socket', kind: 'socket-failed' },
  ],
} as const;

export function buildRichReport(): FleetReport {
  const report = assessFleet(richOutcomes, meta);
  const policy = parsePolicy(richPolicyYaml, 'policy.yaml', { env: {} });
  return applyGate(report, {
    thresholds: { ...defaultGatePolicy, ...policy.thresholds },
    policy,
    baseline: { file: 'previous.json', startedAt: previousRun.startedAt, keys: new Set(previousRun.findings.map(findingKey)) },
    today: '2026-11-28',
    warnBeforeDays: 7,
  });
}
