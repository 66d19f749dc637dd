// The probe's awk decides on the host which sockets get a journal excerpt; the model decides
// which findings are problems. They must agree: every finding at warning or above has its
// evidence collected, and no journal is read for notices or healthy sockets. One synthetic host
// with every case, run through the real script on mawk and gawk.
import { describe, expect, it } from 'vitest';
import { assessFleet } from '../../src/model/assess.js';
import { parseProbeOutput } from '../../src/probes/parse-probe.js';
import { awkVariants, runProbeOnFakeHost } from '../helpers/fake-systemd-host.js';
import { makeTarget } from '../helpers/model-factories.js';

interface Case {
  unit: string;
  socket: Record<string, string>;
  service?: Record<string, string>;
}

const stamp = 'Sat 2026-11-28 09:39:58 UTC';
const cases: Case[] = [
  { unit: 'ok.socket', socket: { ActiveState: 'active', SubState: 'listening' } },
  { unit: 'failed.socket', socket: { ActiveState: 'failed', SubState: 'failed', Result: 'resources' } },
  { unit: 'svcfail.socket', socket: { ActiveState: 'active', SubState: 'listening' }, service: { ActiveState: 'failed', SubState: 'failed', Result: 'exit-code' } },
  { unit: 'loop.socket', socket: { ActiveState: 'active', SubState: 'listening' }, service: { ActiveState: 'activating', SubState: 'auto-restart', Result: 'exit-code' } },
  { unit: 'refused.socket', socket: { ActiveState: 'active', SubState: 'listening', NRefused: '3' } },
  { unit: 'orphan.socket', socket: { ActiveState: 'inactive', SubState: 'dead', StateChangeTimestamp: '' }, service: { LoadState: 'not-found' } },
  { unit: 'quiet-orphan.socket', socket: { ActiveState: 'inactive', SubState: 'dead', UnitFileState: 'static', WantedBy: '' }, service: { LoadState: 'not-found' } },
  { unit: 'masked-svc.socket', socket: { ActiveState: 'inactive', SubState: 'dead' }, service: { LoadState: 'masked' } },
  { unit: 'bad.socket', socket: { LoadState: 'bad-setting', ActiveState: 'inactive', SubState: 'dead' } },
  { unit: 'bad-unused.socket', socket: { LoadState: 'bad-setting', ActiveState: 'inactive', SubState: 'dead', UnitFileState: 'disabled', WantedBy: '' } },
  { unit: 'masked.socket', socket: { LoadState: 'masked', ActiveState: 'inactive', SubState: 'dead' } },
  { unit: 'ghost.socket', socket: { LoadState: 'not-found', ActiveState: 'inactive', SubState: 'dead', UnitFileState: '', WantedBy: '' } },
  { unit: 'notpl.socket', socket: { Accept: 'yes', ActiveState: 'active', SubState: 'listening' } },
  { unit: 'notpl-unused.socket', socket: { Accept: 'yes', ActiveState: 'inactive', SubState: 'dead', UnitFileState: 'disabled', WantedBy: '' } },
  { unit: 'acc.socket', socket: { Accept: 'yes', ActiveState: 'active', SubState: 'listening' }, service: { ActiveState: 'failed', SubState: 'failed', Result: 'exit-code' } },
];

function showSocket(c: Case): string {
  const service = c.socket.Accept === 'yes' ? (c.service === undefined ? '' : `${c.unit.replace('.socket', '')}@1-127.0.0.1:1-127.0.0.1:2.service`) : c.unit.replace('.socket', '.service');
  const props: Record<string, string> = {
    Accept: 'no',
    'Listen=[::]:7000 (Stream)': '',
    Result: 'success',
    NRefused: '0',
    Id: c.unit,
    Triggers: service,
    LoadState: 'loaded',
    UnitFileState: 'enabled',
    WantedBy: 'sockets.target',
    RequiredBy: '',
    StateChangeTimestamp: stamp,
    ...c.socket,
  };
  return Object.entries(props).map(([k, v]) => (k.includes('=') ? k : `${k}=${v}`)).join('\n');
}

function showService(c: Case): string | null {
  if (c.service === undefined) return null;
  const unit = c.socket.Accept === 'yes' ? `${c.unit.replace('.socket', '')}@1-127.0.0.1:1-127.0.0.1:2.service` : c.unit.replace('.socket', '.service');
  const props = { Id: unit, LoadState: 'loaded', ActiveState: 'inactive', SubState: 'dead', Result: 'success', ...c.service };
  return Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n');
}

describe.each(awkVariants())('journal plan vs. findings ($name)', ({ path }) => {
  it('plans a journal excerpt for exactly the sockets with a problem at warning or above', async () => {
    const run = await runProbeOnFakeHost(
      {
        version: 'systemd 252 (252.39-1~deb12u2)\n',
        units: cases.map((c) => `${c.unit} loaded active listening x`).join('\n') + '\n',
        unitFiles: '',
        showSockets: `${cases.map(showSocket).join('\n\n')}\n`,
        showServices: `${cases.map(showService).filter((b) => b !== null).join('\n\n')}\n`,
        journal: '',
        templates: ['acc@.service'],
      },
      path,
    );
    const parsed = parseProbeOutput(run.stdout, 'FAKEHOSTNONCE');
    if (!parsed.ok) throw new Error(parsed.detail);
    const report = assessFleet([{ status: 'audited', host: makeTarget(), snapshot: parsed.snapshot, durationMs: 1 }], {
      toolVersion: 't',
      startedAt: new Date(0),
      finishedAt: new Date(0),
    });
    const planned = parsed.snapshot.journal.map((e) => e.socket).sort();
    const problems = [...new Set(report.findings.filter((f) => f.severity !== 'notice').map((f) => f.unit))].sort();
    expect(planned).toEqual(problems);
    expect(planned).toEqual(['bad.socket', 'failed.socket', 'loop.socket', 'masked-svc.socket', 'notpl.socket', 'orphan.socket', 'refused.socket', 'svcfail.socket']);
    // Every problem socket's excerpt covers the socket and what it triggers; no timestamp → no --since.
    expect(parsed.snapshot.journal.find((e) => e.socket === 'svcfail.socket')?.units).toEqual(['svcfail.socket', 'svcfail.service']);
    expect(parsed.snapshot.journal.find((e) => e.socket === 'orphan.socket')?.since).toBeNull();
    expect(parsed.snapshot.journal.find((e) => e.socket === 'failed.socket')?.since).toBe('2026-11-28T09:34:58.000Z');
  });
});
