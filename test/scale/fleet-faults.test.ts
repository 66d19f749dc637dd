// Fault injection at scale through the real transport: hundreds of hosts on one in-process SSH
// server, some hanging, some slow, some dropped or reset during the handshake. Every host must
// be in the report exactly once, with the right outcome and attempt count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/run-audit.js';
import type { FleetReport } from '../../src/model/types.js';
import { Ssh2Shell } from '../../src/ssh/ssh2-shell.js';
import { startFaultFleet, type FaultFleet } from './fault-fleet.js';

let fleet: FaultFleet;

beforeAll(async () => {
  fleet = await startFaultFleet(
    [
      ['ok', 190],
      ['slow', 40],
      ['hang', 20],
      ['drop-first', 20],
      ['reset-first', 20],
      ['reset-always', 10],
    ],
    { commandTimeoutMs: 1_500 },
  );
});

afterAll(async () => {
  await fleet.close();
});

describe('a fleet of 300 hosts with faults', () => {
  let report: FleetReport;
  const done: string[] = [];

  beforeAll(async () => {
    report = await runAudit({
      hosts: fleet.hosts,
      shell: new Ssh2Shell({ env: {} }),
      concurrency: 64,
      maxOutputBytes: 4 << 20,
      retry: { retries: 2, baseDelayMs: 20, maxDelayMs: 100 },
      onHostDone: (outcome) => done.push(outcome.host.name),
    });
  }, 60_000);

  it('lists every host once, in inventory order, and reported each as it finished', () => {
    expect(report.hosts.map((h) => h.name)).toEqual(fleet.hosts.map((h) => h.name));
    expect(new Set(done)).toEqual(new Set(fleet.hosts.map((h) => h.name)));
    expect(done).toHaveLength(300);
    expect(report.summary.hostsTotal).toBe(300);
  });

  it('gives each behaviour its outcome and attempt count', () => {
    const seen = new Map<string, Set<string>>();
    for (const host of report.hosts) {
      const behaviour = fleet.behaviours.get(host.name) ?? '?';
      const key = `${host.status === 'unknown' ? host.reason : host.status} attempts=${host.attempts}`;
      seen.set(behaviour, (seen.get(behaviour) ?? new Set()).add(key));
    }
    expect(Object.fromEntries([...seen].map(([behaviour, keys]) => [behaviour, [...keys]]))).toEqual({
      ok: ['audited attempts=1'],
      slow: ['audited attempts=1'],
      hang: ['command-timeout attempts=1'],
      'drop-first': ['audited attempts=2'],
      'reset-first': ['audited attempts=2'],
      'reset-always': ['ssh-error attempts=3'],
    });
  });

  it('leaves no connection open on the server', async () => {
    await fleet.server.whenIdle();
    expect(fleet.server.openConnections).toBe(0);
  });
});
