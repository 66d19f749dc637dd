// journal_sudo: the real probe script, run by the local sh against stand-in systemctl,
// journalctl and sudo (test/helpers/fake-systemd-host.ts), as a login that is not root.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseProbeOutput } from '../../src/probes/parse-probe.js';
import { buildProbe, probeScriptFor, probeScriptNonce, probeScriptUsesSudo } from '../../src/probes/probe-script.js';
import { awkVariants, capturedHost, runProbeOnFakeHost, type FakeHostFiles } from '../helpers/fake-systemd-host.js';

const root = fileURLToPath(new URL('../fixtures/commands/systemd-252/', import.meta.url));

/** One listening socket whose service is running: no socket needs journal evidence. */
function quietHost(extra: Partial<FakeHostFiles>): FakeHostFiles {
  const socket = ['Id=quiet.socket', 'Names=quiet.socket', 'LoadState=loaded', 'ActiveState=active', 'SubState=listening', 'Result=success', 'Listen=/run/quiet.sock (Stream)', 'Triggers=quiet.service', 'Accept=no', ''];
  const service = ['Id=quiet.service', 'LoadState=loaded', 'ActiveState=active', 'SubState=running', 'Result=success', ''];
  return {
    version: readFileSync(join(root, 'failures', 'version.txt'), 'utf8'),
    units: 'quiet.socket loaded active listening Quiet socket\n',
    unitFiles: 'quiet.socket enabled enabled\n',
    showSockets: socket.join('\n'),
    showServices: service.join('\n'),
    journal: '',
    uid: 1000,
    ...extra,
  };
}

function labHost(scenario: 'failures' | 'quiet', extra: Partial<FakeHostFiles>): FakeHostFiles {
  if (scenario === 'quiet') return quietHost(extra);
  return capturedHost(252, scenario, ['lab-acc@.service', 'lab-max@.service', 'ssh@.service'], { uid: 1000, ...extra });
}

describe('the journal_sudo copy of the probe script', () => {
  const probe = buildProbe('sudotestnonce');

  it('differs from the shared script in its JS= line only, keeps the nonce, and is made once per probe', () => {
    const sudo = probeScriptFor(probe, { journalSudo: true });
    expect(probeScriptFor(probe, {})).toBe(probe.script);
    expect(probeScriptFor(probe, { journalSudo: false })).toBe(probe.script);
    expect(probeScriptUsesSudo(probe.script)).toBe(false);
    expect(probeScriptUsesSudo(sudo)).toBe(true);
    expect(probeScriptNonce(sudo)).toBe('sudotestnonce');
    const differing = sudo.split('\n').filter((line, i) => line !== probe.script.split('\n')[i]);
    expect(differing).toEqual(['JS=1']);
    expect(probeScriptFor(probe, { journalSudo: true })).toBe(sudo);
  });

  it('sends sudo -n to journalctl only: no systemctl line goes through sudo, nothing else sets the flag', () => {
    const lines = probe.script.split('\n');
    expect(lines.filter((l) => /^JS=/.test(l))).toEqual(['JS=0']);
    // Every journalctl run is `$TJ $SJ "$JC" …`; journalctl is otherwise only looked up.
    const runs = lines.filter((l) => l.includes('"$JC"'));
    expect(runs.length).toBe(3);
    for (const line of runs) expect(line).toMatch(/^\s*\$TJ \$SJ "\$JC" /);
    expect(lines.filter((l) => /journalctl /.test(l) && !l.trim().startsWith('#') && !l.includes('command -v journalctl') && !l.includes('"$JC"'))).toEqual([]);
    expect(lines.filter((l) => /systemctl /.test(l) && /sudo|\$SJ/.test(l))).toEqual([]);
    expect(probe.command).toBe('sh -s');
  });
});

const awks = awkVariants();
const haveFixtures = existsSync(join(root, 'failures', 'show-sockets.txt'));

describe.runIf(haveFixtures && awks.length > 0)('journal access through sudo -n', () => {
  const awk = awks[0]?.path ?? '';
  async function run(scenario: 'failures' | 'quiet', extra: Partial<FakeHostFiles>) {
    const result = await runProbeOnFakeHost(labHost(scenario, extra), awk);
    expect(result.stderr).toBe('');
    const parsed = parseProbeOutput(result.stdout, 'FAKEHOSTNONCE', { exitCode: result.code, stderr: result.stderr });
    if (!parsed.ok) throw new Error(parsed.detail);
    const journalCalls = result.calls.filter((c) => c[0] === 'journalctl');
    const sudoCalls = result.calls.filter((c) => c[0] === 'sudo');
    return { snapshot: parsed.snapshot, calls: result.calls, journalCalls, sudoCalls };
  }

  it('without journal_sudo, sudo is never called even where it exists', async () => {
    const { snapshot, sudoCalls, journalCalls } = await run('failures', { sudo: 'runs' });
    expect(sudoCalls).toEqual([]);
    expect(journalCalls.length).toBe(5);
    expect(snapshot.journalAccess).toBe('full');
  });

  it('with journal_sudo and a sudo that lets it run, every journalctl call goes through sudo -n and an absolute path', async () => {
    const { snapshot, calls, sudoCalls, journalCalls } = await run('failures', { sudo: 'runs', journalSudo: true });
    expect(sudoCalls.length).toBe(5);
    for (const call of sudoCalls) {
      expect(call[1]).toBe('-n');
      expect(call[2]).toMatch(/^\/.*\/bin\/journalctl$/);
    }
    expect(journalCalls.length).toBe(5);
    // systemctl is never run through sudo: only the journal part has the privilege.
    expect(calls.filter((c) => c[0] === 'sudo' && c.some((a) => a.includes('systemctl')))).toEqual([]);
    expect(snapshot.journalAccess).toBe('full');
    expect(snapshot.journal.map((e) => e.socket)).toEqual(['lab-conflict.socket', 'lab-crash.socket', 'lab-orphan.socket', 'lab-trigger.socket']);
    expect(snapshot.journal.find((e) => e.socket === 'lab-conflict.socket')?.entries.some((e) => /Address already in use/.test(e.message))).toBe(true);
  });

  it.each([
    ['a password wanted', 'sudo: a password is required\n', 'sudo needs a password'],
    ['a terminal wanted (old sudo)', 'sudo: no tty present and no askpass program specified\n', 'sudo needs a password'],
    ['requiretty', 'sudo: sorry, you must have a tty to run sudo\n', 'requiretty'],
    ['a rule for other commands only', "Sorry, user auditor is not allowed to execute '/usr/bin/journalctl --no-pager -n 0' as root on web-1.\n", 'does not let this user'],
    ['no sudoers entry', 'auditor is not in the sudoers file.  This incident will be reported.\n', 'does not let this user'],
  ])('sudo refusing (%s) → sudo-required in its own words, once, and the sockets are still audited', async (_name, stderr, words) => {
    const { snapshot, sudoCalls, journalCalls } = await run('failures', { sudo: { stderr, rc: 1 }, journalSudo: true });
    expect(snapshot.journalAccess).toBe('sudo-required');
    expect(snapshot.journalAccessDetail).toContain(stderr.trim().slice(0, 40));
    expect(snapshot.journalAccessDetail).toMatch(/\(sudo -n \/.*\/bin\/journalctl\)$/);
    // Asked once: the excerpts are not attempted, each says why it is empty.
    expect(sudoCalls.length).toBe(1);
    expect(journalCalls).toEqual([]);
    expect(snapshot.journal.length).toBe(4);
    for (const excerpt of snapshot.journal) {
      expect(excerpt.entries).toEqual([]);
      expect(excerpt.error).toContain(words);
    }
    expect(snapshot.sockets.some((s) => s.unit === 'lab-conflict.socket' && s.active === 'failed')).toBe(true);
  });

  it('sudo that cannot elevate for another reason → unavailable, in its words', async () => {
    const stderr = 'sudo: The "no new privileges" flag is set, which prevents sudo from running as root.\n';
    const { snapshot, sudoCalls } = await run('failures', { sudo: { stderr, rc: 1 }, journalSudo: true });
    expect(snapshot.journalAccess).toBe('unavailable');
    expect(snapshot.journalAccessDetail).toContain('no new privileges');
    expect(sudoCalls.length).toBe(1);
  });

  it('no sudo on the host → unavailable, saying so, and journalctl is not run without it', async () => {
    const { snapshot, journalCalls } = await run('failures', { journalSudo: true });
    expect(snapshot.journalAccess).toBe('unavailable');
    expect(snapshot.journalAccessDetail).toMatch(/sudo is not installed/);
    expect(journalCalls).toEqual([]);
    expect(snapshot.journal).toEqual([]);
  });

  it('root needs no sudo: journal_sudo on a root login reads the journal directly', async () => {
    const { snapshot, sudoCalls, journalCalls } = await run('failures', { journalSudo: true, uid: 0 });
    expect(sudoCalls).toEqual([]);
    expect(journalCalls.length).toBe(5);
    expect(snapshot.journalAccess).toBe('full');
  });

  it('a host with nothing to explain still asks sudo once: a refusal shows before a socket fails', async () => {
    const refused = await run('quiet', { sudo: { stderr: 'sudo: a password is required\n', rc: 1 }, journalSudo: true });
    expect(refused.snapshot.journal).toEqual([]);
    expect(refused.snapshot.journalAccess).toBe('sudo-required');
    expect(refused.sudoCalls.length).toBe(1);
    const allowed = await run('quiet', { sudo: 'runs', journalSudo: true });
    expect(allowed.snapshot.journalAccess).toBe('not-needed');
    expect(allowed.sudoCalls.length).toBe(1);
    const plain = await run('quiet', { sudo: 'runs' });
    expect(plain.snapshot.journalAccess).toBe('not-needed');
    expect(plain.calls.filter((c) => c[0] === 'sudo' || c[0] === 'journalctl')).toEqual([]);
  });
});
