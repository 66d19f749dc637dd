// Issue 8, privilege, on the real lab fleet: the inventory's journal_sudo makes every journalctl
// call of the probe run as `sudo -n`, and nothing else. The logins' sudoers differ per suite
// (scenarios/failures/install.sh): a rule that lets it through, one behind requiretty, none. The
// audit must never hang on a prompt; refused hosts stay audited with journalAccess sudo-required.
import { readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FleetReport } from '../../src/model/types.js';
import { runBuiltCli } from '../helpers/run-cli.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { readFleetDefinition } from './fleet-config.js';
import { expectSudoJournal } from './truth/journal-sudo.js';

const fleet = inject('labFleet');
const definition = readFleetDefinition(fleet);
let dir: TempDir;
let plain: FleetReport;
let plainCode: number | null;
let sudo: { code: number | null; report: FleetReport };

async function audit(inventory: string): Promise<{ code: number | null; report: FleetReport }> {
  const out = dir.file(`r-${Math.random().toString(36).slice(2)}.json`);
  const run = await runBuiltCli(['audit', '-f', 'json', '-o', out, '-F', 'none', '-i', inventory], { timeoutMs: 170_000 });
  try {
    return { code: run.code, report: JSON.parse(await readFile(out, 'utf8')) as FleetReport };
  } catch {
    throw new Error(`sockaudit -i ${inventory} wrote no report (exit ${run.code}): ${run.stderr.slice(0, 2000)}`);
  }
}

/** The lab's inventory with `journal_sudo: true` for every host, its relative paths made absolute. */
async function sudoInventory(): Promise<string> {
  const doc = parse(await readFile(fleet.inventory, 'utf8')) as { defaults: Record<string, unknown> };
  const abs = (p: unknown): unknown => (typeof p === 'string' && !isAbsolute(p) ? join(fleet.stateDir, p) : p);
  doc.defaults.identity_file = abs(doc.defaults.identity_file);
  doc.defaults.known_hosts_file = abs(doc.defaults.known_hosts_file);
  doc.defaults.journal_sudo = true;
  const file = dir.file('inventory-journal-sudo.yaml');
  await writeFile(file, stringify(doc));
  return file;
}

beforeAll(async () => {
  dir = await makeTempDir();
  ({ report: plain, code: plainCode } = await audit(fleet.inventory));
  sudo = await audit(await sudoInventory());
});

afterAll(async () => {
  await dir?.remove();
});

describe('journal_sudo on the lab fleet (built CLI)', () => {
  it('changes no host outcome: the same hosts are audited or unknown, for the same reasons, with the same sockets', () => {
    const outline = (r: FleetReport): unknown => r.hosts.map((h) => [h.name, h.status, h.reason ?? null, h.sockets.map((s) => [s.unit, s.active, s.sub])]);
    expect(outline(sudo.report)).toEqual(outline(plain));
  });

  it('gives each audited host the journal access its login and sudoers allow', () => {
    const checked: string[] = [];
    for (const def of definition) {
      const host = sudo.report.hosts.find((h) => h.name === def.name);
      const want = expectSudoJournal(def, definition);
      if (host?.status !== 'audited' || want === null) continue;
      expect(host.journalAccess, def.name).toBe(want.journalAccess);
      if (want.detail !== null) expect(host.journalAccessDetail ?? '', def.name).toMatch(want.detail);
      checked.push(def.name);
    }
    // The three auditor cases are there whenever their suite is up.
    for (const name of ['bw-auditor', 'bu-auditor', 'tx-auditor']) if (plain.hosts.some((h) => h.name === name && h.status === 'audited')) expect(checked).toContain(name);
  });

  it('with sudo allowed, a login sees what root sees; refused, its findings say why they have no journal lines', () => {
    for (const def of definition) {
      const want = expectSudoJournal(def, definition);
      if (want === null || def.kind !== 'login') continue;
      const machine = definition.find((h) => h.kind === 'nspawn' && h.addr === def.addr && h.options.behind === undefined);
      const own = sudo.report.findings.filter((f) => f.host === def.name);
      const root = sudo.report.findings.filter((f) => f.host === machine?.name);
      if (own.length === 0) continue; // its suite is not up
      if (want.causesAsRoot) {
        expect(own.map((f) => [f.unit, f.kind, f.cause.id]), def.name).toEqual(root.map((f) => [f.unit, f.kind, f.cause.id]));
        expect(own.some((f) => f.evidence.entries.length > 0), def.name).toBe(true);
      } else {
        for (const f of own) {
          expect(f.evidence.journalAccess, `${def.name} ${f.unit}`).toBe('sudo-required');
          expect(f.evidence.entries).toEqual([]);
          expect(f.evidence.note ?? '', `${def.name} ${f.unit}`).toMatch(/sudo/);
        }
      }
    }
  });

  it('keeps the exit code of the plain audit', () => {
    expect(sudo.code).toBe(plainCode);
  });
});
