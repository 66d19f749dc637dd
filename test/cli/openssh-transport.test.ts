// `--transport openssh` on the built CLI against the in-process fleet: the same report as the
// default ssh2 transport, and the same reasons when a host cannot be audited.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetReport } from '../../src/model/types.js';
import { runBuiltCli } from '../helpers/run-cli.js';
import { startFakeFleet, type FakeFleet } from './fake-fleet.js';
import { comparable, hasSsh } from './transport-compare.js';

let fleet: FakeFleet;

beforeAll(async () => {
  fleet = await startFakeFleet(['web-1', 'web-3', 'app-2']);
});

afterAll(async () => {
  await fleet?.close();
});

async function audit(inventory: string, extra: string[]): Promise<{ code: number | null; report: FleetReport; stderr: string }> {
  const out = fleet.dir.file(`t-${Math.random().toString(36).slice(2)}.json`);
  const run = await runBuiltCli(['audit', '-i', inventory, '-f', 'json', '-o', out, '-F', 'none', ...extra]);
  return { code: run.code, stderr: run.stderr, report: JSON.parse(await readFile(out, 'utf8')) as FleetReport };
}

describe.runIf(hasSsh())('audit --transport openssh (built CLI)', () => {
  it('gives the same report as the ssh2 transport, unknown hosts and reasons included', async () => {
    const inventory = await fleet.inventory(['web-1', 'web-3', 'app-2'], ['edge-1']);
    const ssh2 = await audit(inventory, []);
    const openssh = await audit(inventory, ['--transport', 'openssh']);
    expect(openssh.stderr).toBe('');
    expect(ssh2.report.hosts.map((h) => h.status)).toEqual(['audited', 'audited', 'audited', 'unknown']);
    expect(openssh.report.hosts.find((h) => h.name === 'edge-1')).toMatchObject({ reason: 'refused' });
    expect(openssh.code).toBe(ssh2.code);
    expect(comparable(openssh.report)).toEqual(comparable(ssh2.report));
  });

  it('maps a host missing from known_hosts and a refused key to the ssh2 reasons', async () => {
    const inventory = await fleet.inventory(['web-1']);
    await writeFile(fleet.dir.file('empty_known_hosts'), '');
    const text = (await readFile(inventory, 'utf8')).replace(fleet.dir.file('known_hosts'), fleet.dir.file('empty_known_hosts'));
    const unknownKey = fleet.dir.file('unknown-key.yaml');
    await writeFile(unknownKey, text);
    for (const transport of ['ssh2', 'openssh']) {
      const run = await audit(unknownKey, ['--transport', transport]);
      expect(run.report.hosts[0]).toMatchObject({ status: 'unknown', reason: 'host-key-unknown' });
    }
    const wrongKey = fleet.dir.file('wrong-key.yaml');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', fleet.dir.file('other_id')]);
    await writeFile(wrongKey, (await readFile(inventory, 'utf8')).replace(`identity_file: ${fleet.dir.file('id')}`, `identity_file: ${fleet.dir.file('other_id')}`));
    for (const transport of ['ssh2', 'openssh']) {
      const run = await audit(wrongKey, ['--transport', transport]);
      expect(run.report.hosts[0]).toMatchObject({ status: 'unknown', reason: 'auth-failed' });
    }
  });

  it('refuses an unknown transport before contacting anything', async () => {
    const run = await runBuiltCli(['audit', '-i', await fleet.inventory(['web-1']), '--transport', 'telnet']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--transport: expected ssh2 or openssh, got "telnet"');
  });
});
