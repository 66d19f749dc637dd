import { describe, expect, it } from 'vitest';
import { parseAnsibleInventory } from '../../src/inventory/load-ansible-inventory.js';
import { parseInventory } from '../../src/inventory/load-inventory.js';
import { parseProxyJump } from '../../src/inventory/proxy-jump.js';
import { resolveHosts } from '../../src/inventory/resolve-hosts.js';
import { sshConfigLookup } from '../../src/inventory/ssh-config.js';
import { formatConfigIssue } from '../../src/model/config-error.js';
import { issuesOf } from './helpers.js';

const base = { env: {}, homeDir: '/home/me', userName: 'me', fileExists: () => false };

/** The issues as the CLI prints them, hints included. */
function printed(run: () => unknown): string[] {
  return issuesOf(run).map((issue) => formatConfigIssue(issue));
}

describe('parseProxyJump', () => {
  it('reads the forms ssh takes', () => {
    expect(parseProxyJump('bastion')).toEqual({ ok: true, hops: [{ written: 'bastion', host: 'bastion' }] });
    expect(parseProxyJump(' ops@jump-1.example:2222 , inner ')).toEqual({
      ok: true,
      hops: [
        { written: 'ops@jump-1.example:2222', user: 'ops', host: 'jump-1.example', port: 2222 },
        { written: 'inner', host: 'inner' },
      ],
    });
    expect(parseProxyJump('ssh://ops@[2001:db8::1]:22')).toEqual({
      ok: true,
      hops: [{ written: 'ssh://ops@[2001:db8::1]:22', user: 'ops', host: '2001:db8::1', port: 22 }],
    });
    expect(parseProxyJump('NONE')).toEqual({ ok: true, hops: [] });
  });

  it('says what is wrong with a bad hop', () => {
    expect(parseProxyJump('bastion:99999')).toEqual({ ok: false, message: '"bastion:99999": expected a port 1–65535, got 99999' });
    expect(parseProxyJump('a,,b')).toMatchObject({ ok: false });
    expect(parseProxyJump('@bastion')).toMatchObject({ ok: false, message: expect.stringContaining('the user is empty') });
    expect(parseProxyJump('bas tion')).toMatchObject({ ok: false });
  });
});

describe('proxy_jump in the inventory', () => {
  it('reaches a host through an inventory host, with that host’s own settings and hops', () => {
    const inventory = parseInventory(
      [
        'defaults: { user: root, identity_file: /keys/fleet }',
        'hosts:',
        '  - { name: outer, address: 10.0.0.1, user: ops, port: 2200, known_hosts_file: /kh/outer }',
        '  - { name: bastion, address: 10.0.1.1, proxy_jump: outer }',
        '  - { name: app-1, address: 10.0.2.1, proxy_jump: bastion }',
        '  - { name: app-2, address: 10.0.2.2, proxy_jump: "deploy@bastion:2222" }',
        '  - { name: direct, address: 10.0.3.1 }',
      ].join('\n'),
      '/inv/inventory.yaml',
      base,
    );
    const [outer, bastion, app1, app2, direct] = inventory.hosts;
    expect(outer?.jumps).toBeUndefined();
    expect(direct?.jumps).toBeUndefined();
    expect(bastion?.jumps?.map((j) => [j.label, j.address, j.port, j.user, j.knownHostsFiles])).toEqual([['outer', '10.0.0.1', 2200, 'ops', ['/kh/outer']]]);
    expect(app1?.jumps?.map((j) => [j.label, j.address, j.port, j.user])).toEqual([
      ['outer', '10.0.0.1', 2200, 'ops'],
      ['bastion', '10.0.1.1', 22, 'root'],
    ]);
    expect(app1?.jumps?.[1]?.identityFiles).toEqual(['/keys/fleet']);
    // user@ and :port in the spec override the inventory host's own.
    expect(app2?.jumps?.at(-1)).toMatchObject({ label: 'deploy@bastion:2222', address: '10.0.1.1', port: 2222, user: 'deploy' });
  });

  it('reaches a hop that is not in the inventory as ssh_config says, over defaults:', () => {
    const sshConfig = sshConfigLookup(
      'Host gw\n  HostName 198.51.100.7\n  User jumper\n  ProxyJump edge\n  StrictHostKeyChecking accept-new\n\nHost edge\n  Port 2022\n\nHost web-*\n  ProxyJump gw\n',
      '/home/me/.ssh/config',
      '/home/me',
    );
    const inventory = parseInventory(
      'defaults: { user: root, connect_timeout: 4s }\nhosts:\n  - { name: web-1 }\n  - { name: web-2, proxy_jump: none }\n  - { name: db-1, proxy_jump: [edge, gw] }\n',
      '/inv/inventory.yaml',
      { ...base, sshConfig },
    );
    const [web1, web2, db1] = inventory.hosts;
    expect(web1?.jumps?.map((j) => [j.label, j.address, j.port, j.user, j.connectTimeoutMs, j.acceptNewHostKey ?? false])).toEqual([
      ['edge', 'edge', 2022, 'root', 4000, false],
      ['gw', '198.51.100.7', 22, 'jumper', 4000, true],
    ]);
    expect(web2?.jumps).toBeUndefined();
    expect(db1?.jumps?.map((j) => j.label)).toEqual(['edge', 'edge', 'gw']);
  });

  it('reports bad values with file, line and path, and loops', () => {
    expect(printed(() => parseInventory('hosts:\n  - { name: a, proxy_jump: "x:0" }\n  - { name: b, proxy_jump: 7 }\n', 'inv.yaml', base))).toEqual([
      'inv.yaml:2 hosts[0].proxy_jump: expected a jump host ("[user@]host[:port]", several separated by commas), a list of them, or none, got "x:0": expected a port 1–65535, got 0',
      'inv.yaml:3 hosts[1].proxy_jump: expected a jump host ("[user@]host[:port]", several separated by commas), a list of them, or none, got 7\n  hint: quote it: "7"',
    ]);
    expect(printed(() => parseInventory('hosts:\n  - { name: a, proxy_jump: b }\n  - { name: b, proxy_jump: a }\n', 'inv.yaml', base))).toEqual([
      'inv.yaml: ProxyJump loop: a → b → a\n  hint: a jump host must not be reached through itself',
      'inv.yaml: ProxyJump loop: b → a → b\n  hint: a jump host must not be reached through itself',
    ]);
  });

  it('needs no local login name for a hop that names its user', () => {
    const environment = { env: {}, homeDir: '/home/me', userName: () => undefined, fileExists: () => false };
    const validated = {
      defaults: {},
      groups: [],
      hosts: [{ name: 'a', groups: [], labels: {}, settings: { user: 'root', proxyJump: [{ written: 'ops@gw', user: 'ops', host: 'gw' }] } }],
    };
    const { hosts, problems } = resolveHosts(validated, environment, 'set user: under defaults:');
    expect(problems).toEqual([]);
    expect(hosts[0]?.jumps?.map((j) => [j.user, j.address])).toEqual([['ops', 'gw']]);
    // Without one, the hop's missing user is a problem, named as the jump host.
    const bare = { ...validated, hosts: [{ ...validated.hosts[0], name: 'a', groups: [], labels: {}, settings: { user: 'root', proxyJump: [{ written: 'gw', host: 'gw' }] } }] };
    expect(resolveHosts(bare, environment, 'hint').problems.map((p) => p.message)).toEqual(['no user is set for jump host gw and the local user name is unknown']);
  });

  it('reads journal_sudo', () => {
    const inventory = parseInventory('defaults: { journal_sudo: true }\nhosts:\n  - { name: a }\n  - { name: b, journal_sudo: false }\n', 'inv.yaml', base);
    expect(inventory.hosts.map((h) => h.journalSudo ?? false)).toEqual([true, false]);
  });
});

describe('jump hosts in Ansible inventories', () => {
  it('reads -J, -o ProxyJump= and the classic ssh -W ProxyCommand', () => {
    const inventory = parseAnsibleInventory(
      [
        '[bastion]',
        'gw ansible_host=10.0.0.1 ansible_user=ops',
        '[a]',
        "a1 ansible_ssh_common_args='-J gw'",
        '[b]',
        "b1 ansible_ssh_common_args='-o ProxyJump=ops@gw:2222'",
        '[c]',
        'c1 ansible_ssh_common_args=\'-o ProxyCommand="ssh -W %h:%p -q -p 2200 -l jumper gw"\' ansible_become=true',
      ].join('\n'),
      '/inv/hosts.ini',
      base,
    );
    const jumps = Object.fromEntries(inventory.hosts.map((h) => [h.name, h.jumps?.map((j) => `${j.user}@${j.address}:${j.port}`)]));
    expect(jumps).toEqual({ gw: undefined, a1: ['ops@10.0.0.1:22'], b1: ['ops@10.0.0.1:2222'], c1: ['jumper@10.0.0.1:2200'] });
    expect(inventory.hosts.map((h) => h.journalSudo ?? false)).toEqual([false, false, false, true]);
  });

  it('refuses a ProxyCommand it cannot honour, with the line', () => {
    expect(printed(() => parseAnsibleInventory("[a]\na1 ansible_ssh_common_args='-o ProxyCommand=\"nc -X 5 -x proxy:1080 %h %p\"'\n", '/inv/hosts.ini', base))).toEqual([
      expect.stringMatching(/^\/inv\/hosts\.ini:2 .*ProxyCommand "nc -X 5 -x proxy:1080 %h %p" is not an "ssh -W %h:%p HOST" jump/),
    ]);
  });
});

describe('mistakes in Ansible group vars', () => {
  it('are reported once, not once per host that inherits them', () => {
    const issues = printed(() => parseAnsibleInventory('[web]\nweb[1:5]\n\n[web:vars]\nansible_port=abc\nansible_ssh_common_args=\'-o ProxyCommand="nc %h %p"\'\n', '/inv/hosts.ini', base));
    expect(issues).toHaveLength(2);
  });
});
