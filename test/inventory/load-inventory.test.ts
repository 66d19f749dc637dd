import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/inventory/load-inventory.js';
import { ConfigError, formatConfigIssue, type ConfigIssue } from '../../src/model/config-error.js';
import { home, testOptions } from './helpers.js';

const fixtures = fileURLToPath(new URL('../fixtures/inventories/', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

async function issuesOfLoad(file: string): Promise<ConfigIssue[]> {
  const error: unknown = await loadInventory(file, testOptions()).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return [...error.issues];
}

describe('loadInventory', () => {
  it('loads a fixture and resolves relative paths against its folder', async () => {
    const inventory = await loadInventory(path.join(fixtures, 'valid.yaml'), testOptions());
    expect(inventory.hosts.map((host) => host.name)).toEqual(['web-1', 'web-2', 'db-1']);
    expect(inventory.hosts[2]?.identityFiles).toEqual([`${home}/.ssh/db`, path.join(fixtures, 'keys', 'db.key'), '/etc/keys/db']);
  });

  it('resolves relative paths from a relative inventory path against the working directory', async () => {
    const relative = path.relative(process.cwd(), path.join(fixtures, 'valid.yaml'));
    const inventory = await loadInventory(relative, testOptions());
    expect(inventory.file).toBe(relative);
    expect(inventory.hosts[2]?.identityFiles[1]).toBe(path.join(fixtures, 'keys', 'db.key'));
  });

  it('reports every mistake of a file at once, in file order', async () => {
    const file = path.join(fixtures, 'many-errors.yaml');
    const issues = await issuesOfLoad(file);
    const f = file;
    expect(issues.map((issue) => formatConfigIssue({ ...issue, hint: undefined }))).toEqual([
      `${f}:3 defaults.prot: unknown key "prot"`,
      `${f}:4 defaults.connect_timeout: expected a duration such as 10 (seconds), "500ms", "10s" or "2m", got "soon"`,
      `${f}:9 hosts[1].address: environment variable SOCKAUDIT_TEST_UNSET_ADDR is not set`,
      `${f}:10 hosts[2]: missing required key "name"`,
      `${f}:11 hosts[3].name: duplicate host name "web-1", first defined at ${f}:6 (hosts[0])`,
      `${f}:14 hosts[4].port: expected an integer 1–65535, got "ssh"`,
      `${f}:16 hosts[5].port: expected an integer 1–65535, got -1`,
      `${f}:18 hosts[6].port: expected an integer 1–65535, got 70000`,
      `${f}:19 hosts[6].use_agent: expected true or false, got "yes"`,
      `${f}:22 groups.web.hosts[1]: no host named "web-9" under hosts:`,
    ]);
    expect(issues[0]?.hint).toBe('did you mean "port"?');
  });

  it('puts every issue into the error message, one per line, with hints', async () => {
    const error: unknown = await loadInventory(path.join(fixtures, 'many-errors.yaml'), testOptions()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('many-errors.yaml:14 hosts[4].port: expected an integer 1–65535, got "ssh"');
    expect(message).toContain('\n  hint: did you mean "port"?');
    expect(message.split('\n').filter((line) => !line.startsWith('  hint:'))).toHaveLength(10);
  });

  it('reports a YAML syntax error with the file and line', async () => {
    const file = path.join(fixtures, 'syntax-error.yaml');
    const [first] = await issuesOfLoad(file);
    expect(first?.file).toBe(file);
    expect(first?.line).toBe(4);
    expect(first?.message).toMatch(/^YAML syntax error: /);
  });

  it('reports an empty hosts list', async () => {
    const file = path.join(fixtures, 'empty-hosts.yaml');
    expect((await issuesOfLoad(file)).map((issue) => formatConfigIssue({ ...issue, hint: undefined }))).toEqual([
      `${file}:3 hosts: the inventory lists no hosts`,
    ]);
  });

  it('turns a missing file into a ConfigError that names the file as given', async () => {
    const issues = await issuesOfLoad('no/such/inventory.yaml');
    expect(issues).toHaveLength(1);
    expect(issues[0]?.file).toBe('no/such/inventory.yaml');
    expect(issues[0]?.line).toBeUndefined();
    expect(issues[0]?.message).toMatch(/^cannot read inventory: ENOENT/);
    expect(formatConfigIssue(issues[0] ?? { message: '' })).toMatch(/^no\/such\/inventory\.yaml: cannot read inventory: ENOENT/);
  });

  it('turns a directory into a ConfigError', async () => {
    const [issue] = await issuesOfLoad(fixtures);
    expect(issue?.message).toMatch(/^cannot read inventory: EISDIR/);
  });
});

describe('loadInventory on real files', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sockaudit-inv-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('counts lines the same with CRLF line ends and a byte-order mark', async () => {
    const file = path.join(dir, 'crlf.yaml');
    await writeFile(file, '\uFEFFhosts:\r\n  - name: a\r\n    port: ssh\r\n');
    const [issue] = await issuesOfLoad(file);
    expect(formatConfigIssue(issue ?? { message: '' })).toBe(`${file}:3 hosts[0].port: expected an integer 1–65535, got "ssh"`);
  });
});

describe('inventory.example.yaml', () => {
  it('loads without error and shows every key in effect', async () => {
    const inventory = await loadInventory(path.join(repoRoot, 'inventory.example.yaml'), testOptions());
    expect(inventory.hosts.map((host) => host.name)).toEqual(['web-1.example.net', 'web-2', 'db-1', 'web-3', 'bastion-1', 'app-1', 'app-2']);
    expect(inventory.groups).toEqual(['web', 'db', 'eu']);
    const [web1, web2, db1, web3] = inventory.hosts;
    expect(web1).toMatchObject({ address: 'web-1.example.net', user: 'deploy', port: 22, groups: ['web'], commandTimeoutMs: 90_000 });
    expect(web2).toMatchObject({
      address: '10.0.0.12',
      port: 2222,
      user: 'ops',
      identityFiles: [path.join(repoRoot, 'keys', 'web-2.key')],
      passphraseEnv: 'WEB2_KEY_PASSPHRASE',
      useAgent: false,
      knownHostsFiles: [`${home}/.ssh/known_hosts`, path.join(repoRoot, 'known_hosts.fleet')],
      connectTimeoutMs: 5000,
      commandTimeoutMs: 120_000,
      groups: ['web', 'eu'],
      labels: { rack: 'a1', tier: '1' },
    });
    expect(db1).toMatchObject({ user: 'root', port: 2200, identityFiles: [`${home}/.ssh/id_ed25519`], passphraseEnv: 'SOCKAUDIT_KEY_PASSPHRASE' });
    expect(web3?.groups).toEqual(['web']);
    const [, , , , bastion, app1, app2] = inventory.hosts;
    expect(bastion?.jumps).toBeUndefined();
    expect(app1?.jumps).toMatchObject([{ label: 'bastion-1', address: '203.0.113.10', user: 'ops' }]);
    expect(app2?.jumps?.map((j) => [j.address, j.port, j.user])).toEqual([
      ['203.0.113.10', 22, 'ops'],
      ['inner-gw.example.net', 2222, 'ops'],
    ]);
    expect(inventory.hosts.every((h) => h.journalSudo !== true)).toBe(true);
  });
});
