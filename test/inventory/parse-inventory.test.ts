import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInventory } from '../../src/inventory/load-inventory.js';
import type { HostTarget } from '../../src/model/types.js';
import { errorLines, home, lines, testOptions } from './helpers.js';

const validText = readFileSync(new URL('../fixtures/inventories/valid.yaml', import.meta.url), 'utf8');

function host(hosts: HostTarget[], name: string): HostTarget {
  const found = hosts.find((h) => h.name === name);
  if (found === undefined) throw new Error(`no host ${name}`);
  return found;
}

describe('parseInventory: a valid inventory', () => {
  const inventory = parseInventory(validText, '/srv/inv/inventory.yaml', testOptions());

  it('keeps the file as given, hosts in file order, declared groups then tags', () => {
    expect(inventory.file).toBe('/srv/inv/inventory.yaml');
    expect(inventory.hosts.map((h) => h.name)).toEqual(['web-1', 'web-2', 'db-1']);
    expect(inventory.groups).toEqual(['web', 'eu', 'db', 'blue']);
  });

  it('applies groups in membership order, later groups winning (web-1: web then eu)', () => {
    expect(host(inventory.hosts, 'web-1')).toEqual({
      name: 'web-1',
      address: 'web-1',
      user: 'eu-user', // defaults root < web deploy < eu eu-user
      port: 2201, // defaults 2200 < eu 2201
      identityFiles: [`${home}/.ssh/id_ecdsa`], // built-in: only the existing default key
      useAgent: false, // defaults
      knownHostsFiles: [`${home}/.ssh/known_hosts`, '/etc/ssh/ssh_known_hosts'],
      connectTimeoutMs: 500, // defaults 5s < eu 500ms
      commandTimeoutMs: 120_000, // defaults 30 < web 2m
      groups: ['web', 'eu', 'blue'],
      labels: {},
    });
  });

  it("lets the host's own keys win over its groups and keeps label values as written", () => {
    const web2 = host(inventory.hosts, 'web-2');
    expect(web2.address).toBe('10.0.0.12');
    expect(web2.port).toBe(2222);
    expect(web2.user).toBe('eu-user');
    expect(web2.groups).toEqual(['eu']);
    expect(web2.labels).toEqual({ rack: 'a1', tier: '1', canary: 'true', version: '1.10' });
    expect(web2.passphraseEnv).toBeUndefined();
  });

  it('appends membership from groups.X.hosts after the host list, in groups: order', () => {
    const db1 = host(inventory.hosts, 'db-1');
    expect(db1.groups).toEqual(['eu', 'db']);
    expect(db1.user).toBe('dba'); // host beats every group
    expect(db1.port).toBe(2202); // eu 2201 < db 2202
    expect(db1.useAgent).toBe(true); // defaults false < db true
    expect(db1.connectTimeoutMs).toBe(500); // from eu
    expect(db1.commandTimeoutMs).toBe(30_000); // from defaults
    expect(db1.passphraseEnv).toBe('DB_PASS');
  });

  it('expands ~ and resolves relative paths against the inventory folder', () => {
    const db1 = host(inventory.hosts, 'db-1');
    expect(db1.identityFiles).toEqual([`${home}/.ssh/db`, '/srv/inv/keys/db.key', '/etc/keys/db']);
    expect(db1.knownHostsFiles).toEqual([`${home}/kh`]);
  });

  it('gives hosts independent arrays', () => {
    const [a, b] = parseInventory(lines('hosts:', '  - name: a', '  - name: b'), 'i.yaml', testOptions()).hosts;
    a?.knownHostsFiles.push('/x');
    expect(b?.knownHostsFiles).toEqual([`${home}/.ssh/known_hosts`, '/etc/ssh/ssh_known_hosts']);
  });
});

describe('parseInventory: built-in defaults', () => {
  const text = lines('hosts:', '  - name: h1');

  it('uses the local user, port 22, existing default keys, 10 s and 60 s', () => {
    const [h1] = parseInventory(text, 'i.yaml', testOptions()).hosts;
    expect(h1).toEqual({
      name: 'h1',
      address: 'h1',
      user: 'tester',
      port: 22,
      identityFiles: [`${home}/.ssh/id_ecdsa`],
      useAgent: false,
      knownHostsFiles: [`${home}/.ssh/known_hosts`, '/etc/ssh/ssh_known_hosts'],
      connectTimeoutMs: 10_000,
      commandTimeoutMs: 60_000,
      groups: [],
      labels: {},
    });
  });

  it('offers default keys in the order ed25519, ecdsa, rsa, skipping missing ones', () => {
    const options = { ...testOptions(), fileExists: (file: string) => !file.endsWith('id_ecdsa') };
    const [h1] = parseInventory(text, 'i.yaml', options).hosts;
    expect(h1?.identityFiles).toEqual([`${home}/.ssh/id_ed25519`, `${home}/.ssh/id_rsa`]);
  });

  it('does not look for default keys when keys are configured, and keeps an explicit empty list', () => {
    const looked: string[] = [];
    const options = { ...testOptions(), fileExists: (file: string) => (looked.push(file), true) };
    const [h1, h2] = parseInventory(
      lines('hosts:', '  - name: h1', '    identity_file: /k', '  - name: h2', '    identity_file: []'),
      'i.yaml',
      options,
    ).hosts;
    expect(h1?.identityFiles).toEqual(['/k']);
    expect(h2?.identityFiles).toEqual([]);
    expect(looked).toEqual([]);
  });

  it('uses the agent by default only when SSH_AUTH_SOCK is set', () => {
    expect(parseInventory(text, 'i.yaml', testOptions({ SSH_AUTH_SOCK: '/run/agent.sock' })).hosts[0]?.useAgent).toBe(true);
    expect(parseInventory(text, 'i.yaml', testOptions({ SSH_AUTH_SOCK: '' })).hosts[0]?.useAgent).toBe(false);
    expect(parseInventory(text, 'i.yaml', testOptions()).hosts[0]?.useAgent).toBe(false);
  });
});

describe('parseInventory: ${ENV} expansion', () => {
  const env = { DEPLOY_USER: 'deployer', DB_ADDR: '10.9.9.9', DB_PORT: '2022', KEYS: '/opt/keys', TMO: '45s' };
  const text = lines(
    'defaults:',
    '  user: ${DEPLOY_USER}',
    '  command_timeout: ${TMO}',
    'hosts:',
    '  - name: db-1',
    '    address: ${DB_ADDR}',
    '    port: ${DB_PORT}',
    '    identity_file: ${KEYS}/db',
    '    labels: {price: "$5", tmpl: "$${NOT_EXPANDED}", both: "${DB_ADDR}:${DB_PORT}"}',
  );

  it('expands variables in any string, with $${ as a literal ${', () => {
    const [db1] = parseInventory(text, 'i.yaml', testOptions(env)).hosts;
    expect(db1?.user).toBe('deployer');
    expect(db1?.address).toBe('10.9.9.9');
    expect(db1?.port).toBe(2022);
    expect(db1?.commandTimeoutMs).toBe(45_000);
    expect(db1?.identityFiles).toEqual(['/opt/keys/db']);
    expect(db1?.labels).toEqual({ price: '$5', tmpl: '${NOT_EXPANDED}', both: '10.9.9.9:2022' });
  });

  it('reports an unset variable at its YAML path', () => {
    expect(errorLines(text, 'inventory.yaml', { ...env, DB_ADDR: undefined })).toEqual([
      'inventory.yaml:6 hosts[0].address: environment variable DB_ADDR is not set',
      'inventory.yaml:9 hosts[0].labels.both: environment variable DB_ADDR is not set',
    ]);
  });

  it('shows the written text when an expanded value is of the wrong kind', () => {
    expect(errorLines(text, 'inventory.yaml', { ...env, DB_PORT: 'ssh' })).toEqual([
      'inventory.yaml:7 hosts[0].port: expected an integer 1–65535, got "ssh" (from "${DB_PORT}")',
    ]);
  });

  it('expands ~ inside the value of a variable-built path', () => {
    const [h] = parseInventory(lines('hosts:', '  - name: h', '    known_hosts_file: ${KH}'), 'i.yaml', testOptions({ KH: '~/fleet_hosts' })).hosts;
    expect(h?.knownHostsFiles).toEqual([`${home}/fleet_hosts`]);
  });
});

describe('parseInventory: YAML features', () => {
  it('follows anchors, aliases and merge keys, explicit keys winning', () => {
    const text = lines(
      'defaults: &base',
      '  user: ops',
      '  port: 2200',
      'hosts:',
      '  - name: a',
      '    <<: *base',
      '    port: 2300',
      '    labels: &labels {team: core}',
      '  - name: b',
      '    labels: *labels',
    );
    const [a, b] = parseInventory(text, 'i.yaml', testOptions()).hosts;
    expect(a?.user).toBe('ops');
    expect(a?.port).toBe(2300);
    expect(b?.labels).toEqual({ team: 'core' });
  });

  it('accepts durations as seconds or with ms/s/m/h units', () => {
    const text = lines('defaults:', '  connect_timeout: 1.5', '  command_timeout: 1h', 'hosts:', '  - name: a');
    const [a] = parseInventory(text, 'i.yaml', testOptions()).hosts;
    expect(a?.connectTimeoutMs).toBe(1500);
    expect(a?.commandTimeoutMs).toBe(3_600_000);
  });
});
