import { describe, expect, it } from 'vitest';
import { parseAnsibleInventory } from '../../src/inventory/load-ansible-inventory.js';
import { parseInventory } from '../../src/inventory/load-inventory.js';
import { sshConfigLookup } from '../../src/inventory/ssh-config.js';
import { ConfigError } from '../../src/model/config-error.js';

const sshConfig = `
Host bastion
  HostName 203.0.113.1
  User jump

Host web-* !web-9
  HostName %h.internal.example
  User ops
  Port 2222
  IdentityFile ~/.ssh/fleet_ed25519
  IdentitiesOnly yes
  ProxyJump bastion
  StrictHostKeyChecking accept-new

Match host db-*
  Port 5522

Host *
  User nobody
  UserKnownHostsFile ~/.ssh/fleet_known_hosts %d/.ssh/known_hosts
  ConnectTimeout 7
`;
const lookup = sshConfigLookup(sshConfig, '/home/me/.ssh/config', '/home/me');
const options = { env: {}, homeDir: '/home/me', userName: 'me', fileExists: () => false, sshConfig: lookup };

describe('ssh_config', () => {
  it('answers like ssh: Host and Match patterns, negation, first value wins, tokens expanded', () => {
    expect(lookup('web-1')).toEqual({
      hostName: 'web-1.internal.example',
      proxyJump: [{ written: 'bastion', host: 'bastion' }],
      strictHostKeyChecking: 'accept-new',
      settings: {
        user: 'ops',
        port: 2222,
        identityFiles: ['/home/me/.ssh/fleet_ed25519'],
        useAgent: false,
        knownHostsFiles: ['/home/me/.ssh/fleet_known_hosts', '/home/me/.ssh/known_hosts'],
        connectTimeoutMs: 7000,
      },
    });
    expect(lookup('web-9').settings).toMatchObject({ user: 'nobody' });
    expect(lookup('web-9').hostName).toBeUndefined();
    expect(lookup('db-1').settings).toMatchObject({ port: 5522, user: 'nobody' });
  });

  it('is a layer under the inventory: the inventory wins where both set a value', () => {
    const inventory = parseInventory(
      'defaults:\n  connect_timeout: 3s\nhosts:\n  - name: web-1\n  - { name: web-2, address: 10.0.0.2, user: deploy }\n  - { name: db-1, port: 22 }\n',
      '/inv/inventory.yaml',
      options,
    );
    const [web1, web2, db1] = inventory.hosts;
    expect(web1).toMatchObject({ address: 'web-1.internal.example', user: 'ops', port: 2222, useAgent: false, connectTimeoutMs: 3000, identityFiles: ['/home/me/.ssh/fleet_ed25519'] });
    // Matched by the address one would type to ssh, and the inventory's user wins.
    expect(web2).toMatchObject({ address: '10.0.0.2', user: 'deploy', port: 22 });
    expect(db1).toMatchObject({ address: 'db-1', port: 22, user: 'nobody', knownHostsFiles: ['/home/me/.ssh/fleet_known_hosts', '/home/me/.ssh/known_hosts'] });
  });

  it('applies under Ansible inventories too', () => {
    const inventory = parseAnsibleInventory('[web]\nweb-1\nweb-2 ansible_port=22\n', '/inv/hosts.ini', options);
    expect(inventory.hosts.map((h) => [h.address, h.port, h.user])).toEqual([
      ['web-1.internal.example', 2222, 'ops'],
      ['web-2.internal.example', 22, 'ops'],
    ]);
  });

  it('reports a bad Port with the file', () => {
    const bad = sshConfigLookup('Host x\n  Port ssh\n', '/home/me/.ssh/config', '/home/me');
    expect(() => bad('x')).toThrow(ConfigError);
    expect(() => bad('x')).toThrow('/home/me/.ssh/config Host x Port: expected an integer 1–65535, got "ssh"');
  });
});
