// How every lab scenario is classified, end to end: the real probe script (sh + awk) against the
// lab's captured command outputs (test/fixtures/commands/systemd-VERSION/SCENARIO, journal
// included), parsed and assessed. This is the ground truth the real-host e2e suite checks
// against; the README's "Causes" section describes the ids.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assessFleet } from '../../src/model/assess.js';
import type { FleetReport } from '../../src/model/types.js';
import { parseProbeOutput } from '../../src/probes/parse-probe.js';
import { awkVariants, runProbeOnFakeHost } from '../helpers/fake-systemd-host.js';
import { makeTarget } from '../helpers/model-factories.js';

const root = fileURLToPath(new URL('../fixtures/commands/', import.meta.url));
const meta = { toolVersion: 'test', startedAt: new Date('2026-11-28T10:00:00Z'), finishedAt: new Date('2026-11-28T10:00:01Z') };
// Templates that the lab hosts really have (Debian's and the lab's own).
const templates = ['lab-acc@.service', 'lab-max@.service', 'lab-tpl@.service', 'ssh@.service', 'systemd-creds@.service', 'systemd-sysext@.service', 'sshd-unix-local@.service', 'systemd-pcrextend@.service', 'systemd-pcrlock@.service'];

async function assess(version: number, scenario: string): Promise<FleetReport> {
  const dir = join(root, `systemd-${version}`, scenario);
  const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
  const awk = awkVariants()[0]?.path ?? '/usr/bin/awk';
  const run = await runProbeOnFakeHost(
    { version: read('version.txt'), units: read('list-units.plain.txt'), unitFiles: read('list-unit-files.txt'), showSockets: read('show-sockets.txt'), showServices: read('show-services.txt'), journal: read('journal.json.txt'), templates },
    awk,
  );
  const parsed = parseProbeOutput(run.stdout, 'FAKEHOSTNONCE');
  if (!parsed.ok) throw new Error(parsed.detail);
  return assessFleet([{ status: 'audited', host: makeTarget({ name: `${scenario}-${version}` }), snapshot: parsed.snapshot, durationMs: 1 }], meta);
}

const line = (r: FleetReport, notices: boolean): string[] =>
  r.findings.filter((f) => (f.severity === 'notice') === notices).map((f) => `${f.unit} ${f.kind} ${f.severity} ${f.cause.id}`);

const expected: Record<string, string[]> = {
  failures: [
    'lab-conflict.socket socket-failed critical port-in-use',
    'lab-crash.socket socket-failed critical service-crash-loop',
    'lab-orphan.socket service-missing critical missing-service-unit',
    'lab-trigger.socket socket-failed critical trigger-limit-hit',
  ],
  // MaxConnections=1 refused two connections: a warning, so the default gate fails here too.
  healthy: ['lab-max.socket connections-refused warning connection-limit'],
  odd: ['lab-badport.socket socket-not-loaded critical invalid-unit-setting', 'lab-broken.socket socket-not-loaded critical invalid-unit-setting'],
};

// Distribution units that are noise in these containers: Debian's syslog.socket triggers a
// syslog.service that only a syslog daemon provides; 252+ reference udev sockets without udev.
const distributionNotices = (version: number): string[] => [
  'syslog.socket service-missing notice missing-service-unit',
  ...(version >= 252
    ? ['systemd-udevd-control.socket socket-not-loaded notice missing-socket-unit', 'systemd-udevd-kernel.socket socket-not-loaded notice missing-socket-unit']
    : []),
];

const ready = existsSync(join(root, 'systemd-252')) && awkVariants().length > 0;

describe.runIf(ready).each([247, 252, 257])('lab on systemd %i', (version) => {
  it.each(Object.keys(expected))('%s: findings, severities and causes', async (scenario) => {
    const report = await assess(version, scenario);
    expect(line(report, false)).toEqual(expected[scenario]);
    const notices = line(report, true);
    expect(notices).toEqual(
      [...(scenario === 'odd' ? ['lab-masked.socket socket-masked notice unit-masked'] : []), ...distributionNotices(version)].sort((a, b) => a.localeCompare(b)),
    );
  });

  it('failures: every finding has journal evidence and a next step with the real unit names', async () => {
    const report = await assess(version, 'failures');
    const get = (unit: string) => report.findings.find((f) => f.unit === unit);
    expect(get('lab-conflict.socket')?.nextSteps[0]?.command).toBe("ss -ltnp 'sport = :7010'");
    expect(get('lab-conflict.socket')?.cause.basis).toBe(version >= 252 ? 'journal-errno' : 'journal-text');
    const crash = get('lab-crash.socket');
    expect(crash?.cause.detail).toContain('code=exited, status=3/NOTIMPLEMENTED');
    expect(crash?.cause.detail).toContain('last output: "lab-crash: cannot read config, exiting"');
    expect(crash?.nextSteps.map((s) => s.command)).toEqual([
      expect.stringMatching(/^journalctl --no-pager -u lab-crash\.socket -u lab-crash\.service --since '2026-11-28 09:3\d:\d\d UTC'$/),
      'systemctl cat lab-crash.service',
      'systemctl reset-failed lab-crash.socket lab-crash.service && systemctl restart lab-crash.socket',
    ]);
    expect(get('lab-orphan.socket')?.evidence.since).toBeNull();
    expect(get('lab-orphan.socket')?.cause.detail).toContain('Socket service lab-orphan.service not loaded, refusing.');
    expect(get('lab-trigger.socket')?.cause.detail).toContain('lab-trigger.service ran and exited successfully without taking the connection');
    for (const f of report.findings.filter((x) => x.severity !== 'notice')) {
      expect(f.evidence.journalAccess).toBe('full');
      expect(f.evidence.entries.length, f.unit).toBeGreaterThan(0);
    }
    expect(report.hosts[0]?.capabilities).toEqual({ nRefused: true, stateChangeTimestamp: true, nRestarts: true, journalUnitResult: true, templateCheck: true });
  });
});
