// The real probe script, run by the local sh with mawk and gawk against stand-in systemctl and
// journalctl that answer with the lab's captured outputs (test/fixtures/commands/systemd-*).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseProbeOutput } from '../../src/probes/parse-probe.js';
import { awkVariants, runProbeOnFakeHost, type FakeHostFiles } from '../helpers/fake-systemd-host.js';

const root = fileURLToPath(new URL('../fixtures/commands/', import.meta.url));

function labHost(version: number, scenario: string, extra: Partial<FakeHostFiles> = {}): FakeHostFiles {
  const dir = join(root, `systemd-${version}`, scenario);
  const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
  return {
    version: read('version.txt'),
    units: read('list-units.plain.txt'),
    unitFiles: read('list-unit-files.txt'),
    showSockets: read('show-sockets.txt'),
    showServices: read('show-services.txt'),
    journal: read('journal.json.txt'),
    // Templates a real host of that scenario has (the distribution's and the lab's).
    templates: ['lab-acc@.service', 'lab-max@.service', 'lab-tpl@.service', 'ssh@.service', 'systemd-creds@.service', 'systemd-sysext@.service', 'sshd-unix-local@.service', 'systemd-pcrextend@.service', 'systemd-pcrlock@.service'],
    ...extra,
  };
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
