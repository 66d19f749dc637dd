// The real probe script, run by the local sh with mawk and gawk against stand-in systemctl and
// journalctl that answer with the lab's captured outputs (test/fixtures/commands/systemd-*).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseProbeOutput } from '../../src/probes/parse-probe.js';
import { awkVariants, capturedHost, runProbeOnFakeHost, type FakeHostFiles } from '../helpers/fake-systemd-host.js';

const root = fileURLToPath(new URL('../fixtures/commands/', import.meta.url));

/** Templates a real host of that scenario has (the distribution's and the lab's). */
const labTemplates = ['lab-acc@.service', 'lab-max@.service', 'lab-tpl@.service', 'ssh@.service', 'systemd-creds@.service', 'systemd-sysext@.service', 'sshd-unix-local@.service', 'systemd-pcrextend@.service', 'systemd-pcrlock@.service'];

function labHost(version: number, scenario: string, extra: Partial<FakeHostFiles> = {}): FakeHostFiles {
  return capturedHost(version, scenario, labTemplates, extra);
}

const awks = awkVariants();
const haveFixtures = existsSync(join(root, 'systemd-252', 'failures', 'show-sockets.txt'));

describe.runIf(haveFixtures && awks.length > 0).each(awks)('probe script with $name', ({ path }) => {
  it.each([247, 252, 257])('systemd %i failures: plans evidence for the four broken sockets and frames their journal', async (version) => {
    const run = await runProbeOnFakeHost(labHost(version, 'failures'), path);
    expect(run.stderr).toBe('');
    const parsed = parseProbeOutput(run.stdout, 'FAKEHOSTNONCE', { exitCode: run.code, stderr: run.stderr });
    if (!parsed.ok) throw new Error(parsed.detail);
    const s = parsed.snapshot;
    expect(s.journalAccess).toBe('full');
    expect(s.journal.map((e) => e.socket)).toEqual(['lab-conflict.socket', 'lab-crash.socket', 'lab-orphan.socket', 'lab-trigger.socket']);
    const conflict = s.journal.find((e) => e.socket === 'lab-conflict.socket');
    expect(conflict?.units).toEqual(['lab-conflict.socket', 'lab-conflict.service']);
    expect(conflict?.entries.some((e) => /Address already in use/.test(e.message))).toBe(true);
    expect(s.journal.find((e) => e.socket === 'lab-orphan.socket')?.since).toBeNull();
  });
});

const hint252 = readFileSync(join(root, 'systemd-252/failures/journal.nonroot.stderr.txt'), 'utf8').split('\n').slice(0, 3).join('\n');
// 247 colours its stderr even with SYSTEMD_COLORS=0 (see the commands README).
const hint247 = readFileSync(join(root, 'systemd-247/failures/journal.nonroot.stderr.txt'), 'utf8').split('\n').slice(0, 3).join('\n');

describe.runIf(haveFixtures && awks.length > 0)('journal access as the probe reports it', () => {
  const awk = awks[0]?.path ?? '';
  async function snapshotWith(extra: Partial<FakeHostFiles>) {
    const run = await runProbeOnFakeHost(labHost(252, 'failures', extra), awk);
    const parsed = parseProbeOutput(run.stdout, 'FAKEHOSTNONCE');
    if (!parsed.ok) throw new Error(parsed.detail);
    return { snapshot: parsed.snapshot, calls: run.calls };
  }

  it.each([
    ['the non-root hint (252)', { accessStderr: `${hint252}\n` }, 'partial'],
    ['the non-root hint wrapped in ANSI colour (247)', { accessStderr: `${hint247}\n` }, 'partial'],
    ['no readable journal file', { accessStderr: 'No journal files were opened due to insufficient permissions.\n', accessRc: 1 }, 'none'],
    ['219 without persistent storage', { accessStderr: 'Unprivileged users cannot access messages, unless persistent log storage is\nenabled.\n', accessRc: 1 }, 'none'],
    ['no journal at all', { accessStderr: 'No journal files were found.\n' }, 'no-journal'],
    ['journalctl missing', { noJournalctl: true }, 'unavailable'],
    ['root', {}, 'full'],
  ] as const)('%s → %s', async (_name, extra, access) => {
    const { snapshot } = await snapshotWith(extra);
    expect(snapshot.journalAccess).toBe(access);
    if (access !== 'full') expect(snapshot.journalAccessDetail).not.toBeNull();
  });
});

describe.runIf(haveFixtures && awks.length > 0).each(awks)('unit names going back into journalctl ($name)', ({ path }) => {
  it('passes a backslashed name as one argument, never through a shell', async () => {
    const odd = labHost(252, 'odd');
    const block = /Accept=no\nListen=\/run\/lab-escaped\.sock \(Stream\)[\s\S]*?LoadError=\n/.exec(odd.showSockets)?.[0] ?? '';
    expect(block).toContain('Id=lab\\x2descaped.socket');
    const failed = block.replace('ActiveState=active', 'ActiveState=failed').replace('SubState=listening', 'SubState=failed').replace('Result=success', 'Result=resources');
    const run = await runProbeOnFakeHost({ ...odd, showSockets: odd.showSockets.replace(block, failed) }, path);
    const journal = run.calls.filter((c) => c[0] === 'journalctl' && c.includes('-o') && c.includes('lab\\x2descaped.socket'));
    expect(journal).toHaveLength(1);
    expect(journal[0]).toEqual(expect.arrayContaining(['-u', 'lab\\x2descaped.socket', '-u', 'lab\\x2descaped.service', '-n', '40']));
    const parsed = parseProbeOutput(run.stdout, 'FAKEHOSTNONCE');
    expect(parsed.ok && parsed.snapshot.journal.find((e) => e.socket === 'lab\\x2descaped.socket')?.units).toEqual(['lab\\x2descaped.socket', 'lab\\x2descaped.service']);
  });

  it('systemd 219: \\x5c-escaped Id and Triggers, no StateChangeTimestamp, no --output-fields', async () => {
    const show219 = [
      'Id=lab\\x5cx2dold.socket',
      'Names=lab\\x5cx2dold.socket',
      'Description=Old socket',
      'LoadState=loaded',
      'ActiveState=failed',
      'SubState=failed',
      'Result=resources',
      'Triggers=lab\\x5cx2dold.service',
      'ListenStream=[::]:7010',
      'Accept=no',
      'NAccepted=0',
      'NConnections=0',
      'UnitFileState=enabled',
      'InactiveExitTimestamp=Sat 2026-11-28 09:30:00 UTC',
      'InactiveEnterTimestamp=Sat 2026-11-28 09:39:58 UTC',
      '',
    ].join('\n');
    const services219 = ['Id=lab\\x5cx2dold.service', 'LoadState=loaded', 'ActiveState=inactive', 'SubState=dead', 'Result=success', ''].join('\n');
    const run = await runProbeOnFakeHost(
      { version: 'systemd 219\n+PAM +AUDIT\n', units: 'lab\\x2dold.socket loaded failed failed Old socket\n', unitFiles: '', showSockets: show219, showServices: services219, journal: '' },
      path,
    );
    const call = run.calls.find((c) => c[0] === 'journalctl' && c.includes('-o')) ?? [];
    expect(call).toEqual(expect.arrayContaining(['-u', 'lab\\x2dold.socket', '-u', 'lab\\x2dold.service']));
    expect(call.some((a) => a.startsWith('--output-fields'))).toBe(false);
    const since = Date.parse('2026-11-28T09:39:58Z') / 1000 - 300;
    expect(call).toContain(`--since=@${since}`);
    const parsed = parseProbeOutput(run.stdout, 'FAKEHOSTNONCE');
    if (!parsed.ok) throw new Error(parsed.detail);
    expect(parsed.snapshot.capabilities).toMatchObject({ nRefused: false, stateChangeTimestamp: false, journalUnitResult: false });
    expect(parsed.snapshot.sockets[0]).toMatchObject({ unit: 'lab\\x2dold.socket', nRefused: null, listen: [{ type: 'Stream', address: '[::]:7010' }] });
  });
});
