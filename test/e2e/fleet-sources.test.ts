// Issue 8 on the real lab fleet: the same fleet reached by other means gives the same report —
// the OpenSSH transport, an Ansible inventory of it, and its shards merged. Real hosts keep
// living between two runs (a crash-looping service restarts, its journal grows), so reports are
// compared on what must not change: each host's identity, outcome and socket states, and each
// finding's host, unit, kind, severity and cause.
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadInventory } from '../../src/inventory/load-inventory.js';
import type { FleetReport } from '../../src/model/types.js';
import { runBuiltCli } from '../helpers/run-cli.js';
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
    const lines = ['[all:vars]', `ansible_ssh_common_args="-o UserKnownHostsFile=${inventory.hosts[0]?.knownHostsFiles[0] ?? ''} -o ConnectTimeout=10"`, ''];
    for (const group of inventory.groups) {
      lines.push(`[${group}]`);
      for (const h of inventory.hosts.filter((x) => x.groups.includes(group))) {
        lines.push(`${h.name} ansible_host=${h.address} ansible_port=${h.port} ansible_user=${h.user} ansible_ssh_private_key_file=${h.identityFiles[0] ?? ''}`);
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
