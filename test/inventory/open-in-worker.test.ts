// A large inventory is read in a worker thread (open-inventory.ts): the same file must give the
// same hosts, groups and errors both ways. The worker runs compiled JavaScript, so both paths are
// taken from the build (`npm test` builds first); the threshold is forced to 0 (always a worker)
// or Infinity (never).
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as ConfigErrorModule from '../../src/model/config-error.js';
import type * as OpenInventoryModule from '../../src/inventory/open-inventory.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';

const dist = new URL('../../dist/', import.meta.url);
const fixtures = fileURLToPath(new URL('../fixtures/inventories/', import.meta.url));
const home = '/home/tester';

let built: typeof OpenInventoryModule;
let errors: typeof ConfigErrorModule;
let dir: TempDir;
// Node announces every Worker it starts: the proof that a path really took the thread.
let workersStarted = 0;
const countWorker = (): void => {
  workersStarted += 1;
};

beforeAll(async () => {
  const entry = new URL('inventory/open-inventory.js', dist);
  if (!existsSync(entry)) throw new Error(`${fileURLToPath(entry)} is missing: run \`npm run build\` (npm test does it)`);
  built = (await import(entry.href)) as typeof OpenInventoryModule;
  errors = (await import(new URL('model/config-error.js', dist).href)) as typeof ConfigErrorModule;
  dir = await makeTempDir();
  process.on('worker', countWorker);
});

afterAll(async () => {
  process.off('worker', countWorker);
  await dir.remove();
});


/** The inventory, or the ConfigError's issues and message: whatever the path, as plain data. */
async function open(spec: string, options: OpenInventoryModule.OpenOptions): Promise<unknown> {
  try {
    return { inventory: await built.openInventory(spec, options) };
  } catch (error) {
    if (!(error instanceof errors.ConfigError)) throw error;
    return { issues: error.issues, message: error.message };
  }
}

async function bothWays(spec: string, options: OpenInventoryModule.OpenOptions = {}): Promise<{ here: unknown; worker: unknown; workers: number }> {
  const common = { env: { HOME: home, SOCKAUDIT_TEST_PORT: '2299' }, homeDir: home, userName: 'tester', sshConfigFile: 'none', ...options };
  const before = workersStarted;
  const here = await open(spec, { ...common, workerThresholdBytes: Infinity });
  expect(workersStarted).toBe(before);
  const worker = await open(spec, { ...common, workerThresholdBytes: 0 });
  return { here, worker, workers: workersStarted - before };
}

describe('openInventory in a worker thread', () => {
  it('gives the same hosts and groups as in process (groups, vars, labels, relative key paths)', async () => {
    const { here, worker, workers } = await bothWays(`${fixtures}valid.yaml`);
    expect(workers).toBe(1);
    expect(here).toMatchObject({ inventory: { hosts: [{ name: 'web-1' }, { name: 'web-2' }, { name: 'db-1' }] } });
    expect(worker).toStrictEqual(here);
  });

  it('gives the same issues, file:line and YAML path, for a failing inventory', async () => {
    const { here, worker, workers } = await bothWays(`${fixtures}many-errors.yaml`);
    expect(workers).toBe(1);
    expect(here).toMatchObject({ message: expect.stringContaining('many-errors.yaml:14 hosts[4].port: expected an integer 1–65535, got "ssh"') as unknown });
    expect(worker).toStrictEqual(here);
  });

  it('gives the same syntax error', async () => {
    const { here, worker, workers } = await bothWays(`${fixtures}syntax-error.yaml`);
    expect(workers).toBe(1);
    expect(here).toHaveProperty('issues');
    expect(worker).toStrictEqual(here);
  });

  it('stays in process when a function is injected (a thread cannot share it)', async () => {
    const before = workersStarted;
    const result = await open(`${fixtures}valid.yaml`, { homeDir: home, userName: 'tester', sshConfigFile: 'none', fileExists: () => false, workerThresholdBytes: 0 });
    expect(result).toHaveProperty('inventory');
    expect(workersStarted).toBe(before);
  });

  it('applies the same ssh_config (-F) and environment variables in the worker', async () => {
    const config = dir.file('ssh_config');
    await writeFile(config, 'Host web-* 10.0.0.*\n  User cfg-user\n  Port 2022\n  ProxyJump jump@bastion:2200\n');
    const inventory = dir.file('inventory.yaml');
    await writeFile(inventory, ['defaults:', '  use_agent: false', 'hosts:', '  - { name: web-1, address: 10.0.0.1 }', '  - { name: db-1, port: "${SOCKAUDIT_TEST_PORT}" }', ''].join('\n'));
    const { here, worker, workers } = await bothWays(inventory, { sshConfigFile: config });
    expect(workers).toBe(1);
    expect(here).toMatchObject({ inventory: { hosts: [{ name: 'web-1', user: 'cfg-user', port: 2022 }, { name: 'db-1', port: 2299 }] } });
    expect(worker).toStrictEqual(here);
  });

  it('reads an Ansible inventory the same way', async () => {
    const ini = dir.file('hosts.ini');
    await writeFile(ini, '[web]\nweb-1 ansible_host=10.0.0.1 ansible_port=2201\nweb-2\n[all:vars]\nansible_user=deploy\n');
    const { here, worker, workers } = await bothWays(`ansible:${ini}`);
    expect(workers).toBe(1);
    expect(here).toMatchObject({ inventory: { groups: ['web'] } });
    expect(worker).toStrictEqual(here);
  });

  it('reads a file above the default threshold in a worker with the same result', async () => {
    const large = dir.file('large.yaml');
    const hosts = Array.from({ length: 5000 }, (_, i) => `  - { name: h${String(i).padStart(5, '0')}, address: 10.${Math.floor(i / 250)}.${i % 250}.1, groups: [g${i % 7}] }`);
    await writeFile(large, ['defaults:', '  user: root', '  use_agent: false', 'hosts:', ...hosts, ''].join('\n'));
    const common = { env: { HOME: home }, homeDir: home, userName: 'tester', sshConfigFile: 'none' };
    const here = await open(large, { ...common, workerThresholdBytes: Infinity });
    expect(here).toMatchObject({ inventory: { groups: ['g0', 'g1', 'g2', 'g3', 'g4', 'g5', 'g6'] } });
    const before = workersStarted;
    expect(await open(large, common)).toStrictEqual(here);
    expect(workersStarted - before).toBe(1);
    // Small files stay in process with the default threshold.
    await open(`${fixtures}valid.yaml`, common);
    expect(workersStarted - before).toBe(1);
  });

  it('says the same about a file that is not there (its size unknown, it is not sent to a worker)', async () => {
    const { here, worker, workers } = await bothWays(dir.file('missing.yaml'));
    expect(workers).toBe(0);
    expect(here).toMatchObject({ message: expect.stringContaining('cannot read inventory') as unknown });
    expect(worker).toStrictEqual(here);
  });
});
