// Small factories for model values: a test states only what it is about.
import type { HostOutcome, HostSnapshot, HostTarget, ServiceState, SocketState } from '../../src/model/types.js';

export function makeTarget(overrides: Partial<HostTarget> = {}): HostTarget {
  return {
    name: 'web-1',
    address: '192.0.2.10',
    port: 22,
    user: 'root',
    identityFiles: [],
    useAgent: false,
    knownHostsFiles: [],
    connectTimeoutMs: 1_000,
    commandTimeoutMs: 5_000,
    groups: [],
    labels: {},
    ...overrides,
  };
}

export function makeSocket(overrides: Partial<SocketState> = {}): SocketState {
  const unit = overrides.unit ?? 'api.socket';
  return {
    unit,
    description: 'API socket',
    load: 'loaded',
    active: 'active',
    sub: 'listening',
    result: 'success',
    loadError: null,
    fragmentPath: `/etc/systemd/system/${unit}`,
    unitFileState: 'enabled',
    stateChangedAt: '2026-11-28T07:59:43.000Z',
    listen: [{ type: 'Stream', address: '0.0.0.0:8080' }],
    triggers: [unit.replace(/\.socket$/, '.service')],
    accept: false,
    nAccepted: 0,
    nConnections: 0,
    nRefused: 0,
    maxConnections: 64,
    wantedBy: ['sockets.target'],
    template: null,
    ...overrides,
  };
}

export function makeService(overrides: Partial<ServiceState> = {}): ServiceState {
  return {
    unit: 'api.service',
    description: 'API service',
    load: 'loaded',
    active: 'inactive',
    sub: 'dead',
    result: 'success',
    loadError: null,
    fragmentPath: '/etc/systemd/system/api.service',
    unitFileState: 'static',
    stateChangedAt: null,
    execMainStatus: 0,
    execMainCode: 0,
    nRestarts: 0,
    execStart: { path: '/usr/bin/api', argv: '/usr/bin/api --serve' },
    ...overrides,
  };
}

export function makeSnapshot(overrides: Partial<HostSnapshot> = {}): HostSnapshot {
  return {
    systemdVersion: 252,
    systemdVersionText: 'systemd 252 (252.39-1~deb12u2)',
    systemState: 'running',
    sockets: [makeSocket()],
    services: { 'api.service': makeService() },
    warnings: [],
    journalAccess: 'not-needed',
    journalAccessDetail: null,
    journal: [],
    capabilities: { nRefused: true, stateChangeTimestamp: true, nRestarts: true, journalUnitResult: true, templateCheck: true },
    ...overrides,
  };
}

export function audited(target: Partial<HostTarget>, snapshot: Partial<HostSnapshot> = {}): HostOutcome {
  return { status: 'audited', host: makeTarget(target), snapshot: makeSnapshot(snapshot), durationMs: 12 };
}

export function unknown(target: Partial<HostTarget>, reason: Extract<HostOutcome, { status: 'unknown' }>['reason'], detail = 'detail'): HostOutcome {
  return { status: 'unknown', host: makeTarget(target), reason, detail, durationMs: 34 };
}
