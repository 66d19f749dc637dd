// `-F FILE` and ~/.ssh/config on the built CLI: an inventory of bare names reaches the
// in-process fleet through what the OpenSSH client config says about them.
import { mkdir, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetReport } from '../../src/model/types.js';
import { runBuiltCli } from '../helpers/run-cli.js';
import { startFakeFleet, type FakeFleet } from './fake-fleet.js';

let fleet: FakeFleet;
let config: string;
let inventory: string;

beforeAll(async () => {
  fleet = await startFakeFleet(['web-1', 'web-2']);
  const hostBlocks = [...fleet.hosts].map(([name, host]) => `Host ${name}\n  HostName 127.0.0.1\n  Port ${host.port}\n`);
  config = `${hostBlocks.join('\n')}\nHost *\n  User audit\n  IdentityFile ${fleet.dir.file('id')}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${fleet.dir.file('known_hosts')}\n  ConnectTimeout 2\n`;
  await writeFile(fleet.dir.file('ssh_config'), config);
  inventory = fleet.dir.file('names.yaml');
  await writeFile(inventory, 'hosts:\n  - name: web-1\n  - name: web-2\n');
});

afterAll(async () => {
  await fleet.close();
});

describe('ssh_config (built CLI)', () => {
  it('reaches hosts named only in the inventory through -F FILE', async () => {
    const run = await runBuiltCli(['audit', '-i', inventory, '-F', fleet.dir.file('ssh_config'), '-f', 'json']);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as FleetReport;
    expect(report.hosts.map((h) => [h.name, h.address, h.user, h.status])).toEqual([
      ['web-1', '127.0.0.1', 'audit', 'audited'],
      ['web-2', '127.0.0.1', 'audit', 'audited'],
    ]);
  });

  it('reads ~/.ssh/config by default, and -F none ignores it', async () => {
    const home = fleet.dir.file('home');
    await mkdir(`${home}/.ssh`, { recursive: true });
    await writeFile(`${home}/.ssh/config`, config);
    const byDefault = await runBuiltCli(['audit', '-i', inventory, '--dry-run'], { env: { HOME: home } });
    expect(byDefault.stdout).toContain(`web-1\taudit@127.0.0.1:${fleet.hosts.get('web-1')?.port}`);
    const ignored = await runBuiltCli(['audit', '-i', inventory, '-F', 'none', '--dry-run'], { env: { HOME: home } });
    expect(ignored.stdout).toContain('web-1\t');
    expect(ignored.stdout).toContain('@web-1:22');
  });

  it('exits 2 when the -F file cannot be read', async () => {
    const run = await runBuiltCli(['audit', '-i', inventory, '-F', fleet.dir.file('nope')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot read the OpenSSH client config');
  });
});
