// Issue 8 on the real lab fleet: the same fleet reached by other means gives the same report —
// the OpenSSH transport, an Ansible inventory of it, and its shards merged. Real hosts keep
// living between two runs (a crash-looping service restarts, its journal grows), so reports are
// compared on what must not change: each host's identity, outcome and socket states, and each
// finding's host, unit, kind, severity and cause.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadInventory } from '../../src/inventory/load-inventory.js';
import type { FleetReport, HostTarget } from '../../src/model/types.js';
import { runBuiltCli } from '../helpers/run-cli.js';
import { labScript } from './fleet-config.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';

const fleet = inject('labFleet');
let dir: TempDir;
let native: { code: number | null; report: FleetReport };

async function audit(args: string[]): Promise<{ code: number | null; report: FleetReport }> {
  const out = dir.file(`r-${Math.random().toString(36).slice(2)}.json`);
  const run = await runBuiltCli(['audit', '-f', 'json', '-o', out, '-F', 'none', ...args], { timeoutMs: 170_000 });
  try {
    return { code: run.code, report: JSON.parse(await readFile(out, 'utf8')) as FleetReport };
  } catch {
    throw new Error(`sockaudit ${args.join(' ')} wrote no report (exit ${run.code}): ${run.stderr.slice(0, 2000)}`);
  }
}

function stable(report: FleetReport): unknown {
  return {
    hosts: report.hosts.map((h) => ({
      name: h.name,
      address: h.address,
      port: h.port,
      user: h.user,
      groups: [...h.groups].sort(),
      status: h.status,
      reason: h.reason,
      systemdVersion: h.systemdVersion,
      sockets: h.sockets.map((s) => [s.unit, s.load, s.active, s.sub, s.result]),
    })),
    findings: report.findings.map((f) => [f.host, f.unit, f.kind, f.severity, f.cause.id]),
    summary: { ...report.summary },
  };
}

beforeAll(async () => {
  dir = await makeTempDir();
  native = await audit(['-i', fleet.inventory]);
});

afterAll(async () => {
  await dir?.remove();
});

describe('the lab fleet by other means (built CLI)', () => {
  it('--transport openssh gives the same report as ssh2', async () => {
    const openssh = await audit(['-i', fleet.inventory, '--transport', 'openssh']);
    expect(openssh.code).toBe(native.code);
    expect(stable(openssh.report)).toEqual(stable(native.report));
  });

  it('an Ansible INI inventory of the fleet gives the same report as the native inventory', async () => {
    const inventory = await loadInventory(fleet.inventory, { env: {} });
    const commonArgs = `-o UserKnownHostsFile=${inventory.hosts[0]?.knownHostsFiles[0] ?? ''} -o ConnectTimeout=10`;
    const lines = ['[all:vars]', `ansible_ssh_common_args="${commonArgs}"`, ''];
    for (const group of inventory.groups) {
      lines.push(`[${group}]`);
      for (const h of inventory.hosts.filter((x) => x.groups.includes(group))) {
        // A host var replaces the group's ssh args (Ansible does not merge them): repeat them.
        const jump = h.jumps === undefined ? '' : ` ansible_ssh_common_args="${commonArgs} -o ProxyJump=${h.jumps.map((j) => j.label).join(',')}"`;
        lines.push(`${h.name} ansible_host=${h.address} ansible_port=${h.port} ansible_user=${h.user} ansible_ssh_private_key_file=${h.identityFiles[0] ?? ''}${jump}`);
      }
      lines.push('');
    }
    const file = dir.file('hosts.ini');
    await writeFile(file, lines.join('\n'));
    const ansible = await audit(['-i', `ansible:${file}`]);
    expect(ansible.code).toBe(native.code);
    // Ansible has no labels; everything else must match.
    expect(stable(ansible.report)).toEqual(stable(native.report));
  });

  it('three shards merged equal the unsharded report', async () => {
    const parts: string[] = [];
    for (const k of [1, 2, 3]) {
      const out = dir.file(`part-${k}.json`);
      const run = await runBuiltCli(['audit', '-i', fleet.inventory, '-F', 'none', '--shard', `${k}/3`, '-f', 'json', '-o', out], { timeoutMs: 170_000 });
      expect(run.code).not.toBe(2);
      parts.push(out);
    }
    const merged = await runBuiltCli(['merge', ...parts, '-f', 'json']);
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(native.code);
    expect(stable(JSON.parse(merged.stdout) as FleetReport)).toEqual(stable(native.report));
  });
});

/** The hosts of the fleet behind a jump host, and that jump host, from the native inventory. */
async function jumpedHosts(): Promise<{ inner: HostTarget[]; jump: string }> {
  const inventory = await loadInventory(fleet.inventory, { env: {} });
  const inner = inventory.hosts.filter((h) => (h.jumps?.length ?? 0) > 0);
  return { inner, jump: inner[0]?.jumps?.[0]?.label ?? '' };
}

function sockets(report: FleetReport, name: string): unknown {
  const host = report.hosts.find((h) => h.name === name);
  return host === undefined ? undefined : { status: host.status, sockets: host.sockets.map((s) => [s.unit, s.load, s.active, s.sub, s.result]) };
}

describe('hosts reachable only through a jump host (built CLI)', () => {
  it('are audited through it, and are out of reach without it', async () => {
    const { inner, jump } = await jumpedHosts();
    expect(inner.length).toBeGreaterThanOrEqual(2);
    for (const host of inner) {
      expect(host.address.startsWith(`${fleet.innerNet}.`)).toBe(true);
      const reported = native.report.hosts.find((h) => h.name === host.name);
      expect(reported).toMatchObject({ status: 'audited' });
      // The report says which way it went.
      expect(reported?.via?.map((hop) => hop.label)).toEqual([jump]);
    }
    expect(native.report.hosts.find((h) => h.name === jump)).toMatchObject({ status: 'audited' });
    const direct = dir.file('direct.yaml');
    const first = inner[0];
    await writeFile(
      direct,
      `defaults: { user: root, identity_file: ${first?.identityFiles[0]}, known_hosts_file: ${first?.knownHostsFiles[0]}, use_agent: false, connect_timeout: 3s }\n` +
        `hosts:\n  - { name: ${first?.name}, address: ${first?.address} }\n`,
    );
    const run = await audit(['-i', direct]);
    // No route of the lab leads there; what this machine's default route does with the address
    // (nothing, an ICMP error, a middlebox that resets) decides which connection failure it is.
    expect(run.report.hosts[0]).toMatchObject({ status: 'unknown' });
    expect(['unreachable', 'connect-timeout', 'refused', 'ssh-error']).toContain(run.report.hosts[0]?.reason);
  });

  it('share one login to the jump host over ssh2 (as the sshd log of the jump host says), one each over OpenSSH', async () => {
    const { inner, jump } = await jumpedHosts();
    // The fleet key's logins to the jump host, counted in its sshd's journal.
    const fingerprint = execFileSync('ssh-keygen', ['-lf', `${fleet.stateDir}/keys/id_ed25519.pub`], { encoding: 'utf8' }).split(' ')[1] ?? '?';
    const logins = (): number =>
      execFileSync('bash', [labScript, 'ssh', jump, 'journalctl -q --no-pager -o cat -u ssh.service'], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l.startsWith('Accepted publickey for root') && l.includes(fingerprint)).length;
    const limit = ['--limit', inner.map((h) => h.name).join(',')];
    for (const [transport, expected] of [['ssh2', 1], ['openssh', inner.length]] as const) {
      const before = logins();
      const run = await audit(['-i', fleet.inventory, '--transport', transport, ...limit]);
      expect(run.report.hosts.map((h) => h.status)).toEqual(inner.map(() => 'audited'));
      expect(logins() - before, transport).toBe(expected);
    }
  });

  it('are reached through the ProxyJump of an ssh_config, with the same sockets', async () => {
    const { inner } = await jumpedHosts();
    // Only names: HostName, User, keys, known_hosts and ProxyJump all come from lab.sh's ssh_config.
    const inventory = dir.file('by-ssh-config.yaml');
    await writeFile(inventory, `hosts:\n${inner.map((h) => `  - { name: ${h.name} }`).join('\n')}\n`);
    const run = await runBuiltCli(['audit', '-i', inventory, '-F', `${fleet.stateDir}/ssh_config`, '-f', 'json', '-o', dir.file('by-ssh-config.json')], { timeoutMs: 170_000 });
    const report = JSON.parse(await readFile(dir.file('by-ssh-config.json'), 'utf8')) as FleetReport;
    expect(run.stderr).toBe('');
    for (const host of inner) expect(sockets(report, host.name)).toEqual(sockets(native.report, host.name));
  });

  it('are refused when the key of the jump host is not known, by both transports, naming the jump host', async () => {
    const { inner, jump } = await jumpedHosts();
    const jumpAddress = native.report.hosts.find((h) => h.name === jump)?.address ?? '?';
    const knownHosts = (await readFile(`${fleet.stateDir}/known_hosts`, 'utf8')).split('\n');
    await writeFile(dir.file('kh-no-jump'), knownHosts.filter((l) => !l.startsWith(`${jumpAddress} `)).join('\n'));
    await writeFile(dir.file('kh-no-inner'), knownHosts.filter((l) => !l.startsWith(`${inner[0]?.address} `)).join('\n'));
    const native_ = await readFile(fleet.inventory, 'utf8');
    const only = (file: string): string =>
      native_.replace(/known_hosts_file: .*/, `known_hosts_file: ${file}`).replace(/identity_file: keys\//, `identity_file: ${fleet.stateDir}/keys/`);
    const noJumpKey = dir.file('no-jump-key.yaml');
    const noInnerKey = dir.file('no-inner-key.yaml');
    await writeFile(noJumpKey, only(dir.file('kh-no-jump')));
    await writeFile(noInnerKey, only(dir.file('kh-no-inner')));
    for (const transport of ['ssh2', 'openssh']) {
      const names = ['--limit', [jump, ...inner.map((h) => h.name)].join(',')];
      const run = await audit(['-i', noJumpKey, '--transport', transport, ...names]);
      for (const host of inner) {
        const got = run.report.hosts.find((h) => h.name === host.name);
        expect(got, transport).toMatchObject({ status: 'unknown', reason: 'host-key-unknown' });
        if (transport === 'ssh2') expect(got?.detail).toMatch(new RegExp(`^jump host ${jump}: host ${jumpAddress.replace(/\./g, '\\.')} is not in `));
      }
      // The host behind it is verified too, under its own address.
      const behind = await audit(['-i', noInnerKey, '--transport', transport, ...names]);
      expect(behind.report.hosts.map((h) => [h.name, h.status, h.reason])).toEqual([
        [jump, 'audited', undefined],
        [inner[0]?.name, 'unknown', 'host-key-unknown'],
        ...inner.slice(1).map((h) => [h.name, 'audited', undefined]),
      ]);
    }
  });
});
