import { describe, expect, it } from 'vitest';
import { expandHostPattern } from '../../src/inventory/ansible-model.js';
import { parseAnsibleInventory } from '../../src/inventory/load-ansible-inventory.js';
import { ConfigError } from '../../src/model/config-error.js';
import type { HostTarget } from '../../src/model/types.js';

const options = { env: {}, homeDir: '/home/me', userName: 'me', fileExists: () => false };

function hosts(text: string, file: string): Record<string, Pick<HostTarget, 'address' | 'port' | 'user' | 'identityFiles' | 'groups' | 'knownHostsFiles'>> {
  const inventory = parseAnsibleInventory(text, file, options);
  return Object.fromEntries(
    inventory.hosts.map((h) => [h.name, { address: h.address, port: h.port, user: h.user, identityFiles: h.identityFiles, groups: h.groups, knownHostsFiles: h.knownHostsFiles }]),
  );
}

function errors(text: string, file: string): string[] {
  try {
    parseAnsibleInventory(text, file, options);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n').filter((l) => !l.startsWith('  hint'));
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const ini = `# fleet
bastion ansible_host=203.0.113.1

[web]
web[01:03] ansible_user=deploy
web-04 ansible_host=10.0.0.14 ansible_port=2222

[db]
db-1 ansible_host=10.0.1.1 ansible_ssh_private_key_file=~/.ssh/db_key

[prod:children]
web
db

[prod:vars]
ansible_user=ops
ansible_ssh_common_args='-o UserKnownHostsFile=/etc/fleet_known_hosts -o ConnectTimeout=7'

[web:vars]
ansible_port=22022

[all:vars]
ansible_user=nobody
ansible_port=22
`;

const yaml = `all:
  vars:
    ansible_user: nobody
    ansible_port: 22
  hosts:
    bastion: { ansible_host: 203.0.113.1 }
  children:
    prod:
      vars:
        ansible_user: ops
        ansible_ssh_common_args: -o UserKnownHostsFile=/etc/fleet_known_hosts -o ConnectTimeout=7
      children:
        web:
          vars: { ansible_port: 22022 }
          hosts:
            web[01:03]: { ansible_user: deploy }
            web-04: { ansible_host: 10.0.0.14, ansible_port: 2222 }
        db:
          hosts:
            db-1: { ansible_host: 10.0.1.1, ansible_ssh_private_key_file: ~/.ssh/db_key }
`;

describe('Ansible inventories', () => {
  it.each([
    ['INI', ini, '/inv/hosts.ini'],
    ['YAML', yaml, '/inv/hosts.yml'],
    ['extension-less INI', ini, '/inv/hosts'],
    ['extension-less YAML', yaml, '/inv/inventory'],
  ])('%s: groups, children, host and group vars with Ansible precedence, ranges', (_, text, file) => {
    const result = hosts(text, file);
    expect(Object.keys(result)).toEqual(['bastion', 'web01', 'web02', 'web03', 'web-04', 'db-1']);
    const fleetKnownHosts = ['/etc/fleet_known_hosts'];
    expect(result.bastion).toMatchObject({ address: '203.0.113.1', port: 22, user: 'nobody', groups: [] });
    expect(result.web01).toMatchObject({ address: 'web01', port: 22022, user: 'deploy', knownHostsFiles: fleetKnownHosts });
    expect(result.web01?.groups).toEqual(['web', 'prod']);
    // The host's own vars beat its group's; the child group (web) beats its parent (prod) and all.
    expect(result['web-04']).toMatchObject({ address: '10.0.0.14', port: 2222, user: 'ops' });
    expect(result['db-1']).toMatchObject({ address: '10.0.1.1', port: 22, user: 'ops', identityFiles: ['/home/me/.ssh/db_key'] });
  });

  it('expands ranges like Ansible', () => {
    expect(expandHostPattern('web[01:03]')).toEqual(['web01', 'web02', 'web03']);
    expect(expandHostPattern('db-[a:c]')).toEqual(['db-a', 'db-b', 'db-c']);
    expect(expandHostPattern('n[1:7:3]-[x:y]')).toEqual(['n1-x', 'n1-y', 'n4-x', 'n4-y', 'n7-x', 'n7-y']);
    expect(expandHostPattern('bad[3:1]')).toEqual({ error: 'range "[3:1]" ends before it starts' });
  });

  it('INI mistakes name the file, the line and the section', () => {
    const text = '[web]\nweb-1 ansible_port=ssh\nweb-2 junk\n[web:bogus]\nx\n[db:vars]\nansible_host={{ lookup }}\n[db]\ndb-1\n';
    expect(errors(text, 'hosts.ini')).toEqual([
      'hosts.ini:2 [web] web-1 ansible_port: expected an integer 1–65535, got "ssh"',
      'hosts.ini:3 [web] web-2: expected key=value after the host name, got "junk"',
      'hosts.ini:4 [web:bogus]: unknown section type ":bogus"',
      'hosts.ini:7 [db:vars] ansible_host: templated value "{{ lookup }}": sockaudit does not evaluate Jinja',
    ]);
  });

  it('YAML mistakes name the file, the line and the YAML path', () => {
    const text = 'all:\n  children:\n    web:\n      host:\n        web-1:\n    db:\n      hosts:\n        db-1: { ansible_port: 70000 }\n        - db-2\n';
    expect(errors(text, 'hosts.yml')[0]).toMatch(/^hosts\.yml:\d+: YAML syntax error/);
    const semantic = 'all:\n  children:\n    web:\n      host:\n        web-1:\n    db:\n      hosts:\n        db-1: { ansible_port: 70000 }\n';
    expect(errors(semantic, 'hosts.yml')).toEqual([
      'hosts.yml:4 all.children.web.host: unknown key "host" in group "web"',
      'hosts.yml:8 all.children.db.hosts.db-1.ansible_port: expected an integer 1–65535, got "70000"',
    ]);
  });

  it('an inventory without hosts is an error', () => {
    expect(errors('[web]\n', 'empty.ini')).toEqual(['empty.ini: the Ansible inventory lists no hosts']);
  });
});
