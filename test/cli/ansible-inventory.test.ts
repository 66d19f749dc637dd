// `-i ansible:FILE` on the built CLI: an Ansible inventory (INI and YAML) of the in-process
// fleet gives the same report as our own inventory of it.
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetReport } from '../../src/model/types.js';
import { runBuiltCli } from '../helpers/run-cli.js';
import { comparable as compareRuns } from './transport-compare.js';
import { startFakeFleet, type FakeFleet } from './fake-fleet.js';

const web = ['web-1', 'web-3'];
const app = ['app-2', 'db-1'];
let fleet: FakeFleet;

beforeAll(async () => {
  fleet = await startFakeFleet([...web, ...app]);
});

afterAll(async () => {
  await fleet.close();
});

function port(name: string): number {
  return fleet.hosts.get(name)?.port ?? 0;
}

/** The report without what differs between two runs of the same fleet: clocks and timings. */
function comparable(report: FleetReport): unknown {
  return compareRuns(report, { blankDetails: false });
}

async function auditJson(inventory: string): Promise<{ code: number | null; report: FleetReport }> {
  const out = fleet.dir.file(`report-${Math.random().toString(36).slice(2)}.json`);
  const run = await runBuiltCli(['audit', '-i', inventory, '-f', 'json', '-o', out]);
  expect(run.stderr).toBe('');
  return { code: run.code, report: JSON.parse(await readFile(out, 'utf8')) as FleetReport };
}

describe('audit -i ansible:FILE (built CLI)', () => {
  it('gives the same report from an INI and a YAML Ansible inventory as from the native one', async () => {
    const id = fleet.dir.file('id');
    const knownHosts = fleet.dir.file('known_hosts');
    const native = fleet.dir.file('native.yaml');
    const hostLines = (names: string[], group: string): string[] => names.map((n) => `  - { name: ${n}, address: 127.0.0.1, port: ${port(n)}, groups: [${group}, prod] }`);
    await writeFile(
      native,
      `defaults:\n  user: audit\n  identity_file: ${id}\n  known_hosts_file: ${knownHosts}\n  use_agent: false\n  connect_timeout: 2s\nhosts:\n${[...hostLines(web, 'web'), ...hostLines(app, 'app')].join('\n')}\n`,
    );
    const iniFile = fleet.dir.file('hosts.ini');
    const iniHost = (n: string): string => `${n} ansible_host=127.0.0.1 ansible_port=${port(n)}`;
    await writeFile(
      iniFile,
      `[web]\n${web.map(iniHost).join('\n')}\n\n[app]\n${app.map(iniHost).join('\n')}\n\n[prod:children]\nweb\napp\n\n[all:vars]\nansible_user=audit\nansible_ssh_private_key_file=${id}\nansible_ssh_common_args="-o UserKnownHostsFile=${knownHosts} -o ConnectTimeout=2"\n`,
    );
    const yamlFile = fleet.dir.file('hosts.yml');
    const yamlHosts = (names: string[]): string => names.map((n) => `            ${n}: { ansible_host: 127.0.0.1, ansible_port: ${port(n)} }`).join('\n');
    await writeFile(
      yamlFile,
      `all:\n  vars:\n    ansible_user: audit\n    ansible_ssh_private_key_file: ${id}\n    ansible_ssh_common_args: -o UserKnownHostsFile=${knownHosts} -o ConnectTimeout=2\n  children:\n    prod:\n      children:\n        web:\n          hosts:\n${yamlHosts(web)}\n        app:\n          hosts:\n${yamlHosts(app)}\n`,
    );

    const expected = await auditJson(native);
    expect(expected.report.hosts.map((h) => h.status)).toEqual(['audited', 'audited', 'audited', 'audited']);
    expect(expected.report.findings.length).toBeGreaterThan(0);
    for (const file of [iniFile, yamlFile]) {
      const got = await auditJson(`ansible:${file}`);
      expect(got.code).toBe(expected.code);
      expect(comparable(got.report)).toEqual(comparable(expected.report));
    }
    // --limit @group works on Ansible groups, children included.
    const limited = await runBuiltCli(['audit', '-i', `ansible:${iniFile}`, '--limit', '@prod,!@app', '--dry-run']);
    expect(limited.stdout).toContain('# 2 host(s) would be audited');
  });

  it('reports an Ansible inventory mistake with file and line, exits 2 and contacts nothing', async () => {
    const before = fleet.connections();
    const file = fleet.dir.file('broken.ini');
    await writeFile(file, `[web]\nweb-1 ansible_host=127.0.0.1 ansible_port=${port('web-1')}\nweb-3 ansible_port=twenty\n`);
    const run = await runBuiltCli(['audit', '-i', `ansible:${file}`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}:3 [web] web-3 ansible_port: expected an integer 1–65535, got "twenty"`);
    expect(fleet.connections()).toBe(before);
  });
});
