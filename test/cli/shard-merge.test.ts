// `audit --shard K/N` on the built CLI, and `sockaudit merge` of the slices: merged, the slices
// equal the unsharded run; a lost slice or a slice run twice is said, and gated.
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetReport } from '../../src/model/types.js';
import { runBuiltCli } from '../helpers/run-cli.js';
import { comparable as compareRuns } from './transport-compare.js';
import { startFakeFleet, type FakeFleet } from './fake-fleet.js';

const names = ['web-1', 'web-2', 'web-3', 'app-2', 'db-1'];
let fleet: FakeFleet;
let inventory: string;

beforeAll(async () => {
  fleet = await startFakeFleet(names);
  inventory = await fleet.inventory(names, ['edge-1']);
});

afterAll(async () => {
  await fleet.close();
});

/** The report without what differs between two runs of the same fleet: clocks and timings. */
function comparable(report: FleetReport): unknown {
  return compareRuns(report, { blankDetails: false });
}

async function audit(args: string[], file: string): Promise<{ code: number | null; report: FleetReport }> {
  const run = await runBuiltCli(['audit', '-i', inventory, '-f', 'json', '-o', file, ...args]);
  expect(run.stderr).toBe('');
  return { code: run.code, report: JSON.parse(await readFile(file, 'utf8')) as FleetReport };
}

describe('audit --shard and merge (built CLI)', () => {
  it('merges the slices into the unsharded report, exit code included', async () => {
    const whole = await audit([], fleet.dir.file('whole.json'));
    expect(whole.report.shard).toBeUndefined();
    const parts: string[] = [];
    const seen: string[] = [];
    for (const k of [1, 2, 3]) {
      const file = fleet.dir.file(`part-${k}.json`);
      const part = await audit(['--shard', `${k}/3`], file);
      expect(part.report.shard).toMatchObject({ index: k, count: 3, fleetHosts: 6 });
      seen.push(...part.report.hosts.map((h) => h.name));
      // Jsonl slices merge too.
      if (k === 2) {
        const jsonl = fleet.dir.file('part-2.jsonl');
        expect((await runBuiltCli(['audit', '-i', inventory, '--shard', '2/3', '-f', 'jsonl', '-o', jsonl])).code).not.toBe(2);
        parts.push(jsonl);
      } else parts.push(file);
    }
    expect([...seen].sort()).toEqual([...names, 'edge-1'].sort());
    const merged = await runBuiltCli(['merge', ...parts, '-f', 'json', '--max-unknown', '0']);
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(whole.code);
    expect(comparable(JSON.parse(merged.stdout) as FleetReport)).toEqual(comparable(whole.report));
  });

  it('says which slice is missing, counts its hosts as unknown and exits 3', async () => {
    await audit(['--shard', '1/2'], fleet.dir.file('half-1.json'));
    const { report } = await audit(['--shard', '2/2', '--limit', '!app-2,!web-3'], fleet.dir.file('other.json'));
    expect(report.shard?.fleetHosts).toBe(4);
    const mixed = await runBuiltCli(['merge', fleet.dir.file('half-1.json'), fleet.dir.file('other.json')]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('does not belong with');

    // Slice 1/2 of these three is web-1 and web-2, both without critical findings: only the
    // missing slice can fail the gate.
    const healthy = await audit(['--shard', '1/2', '--limit', 'web-1,web-2,db-1'], fleet.dir.file('healthy-1.json'));
    expect(healthy.report.hosts.map((h) => h.name).sort()).toEqual(['web-1', 'web-2']);
    expect(healthy.report.findings.filter((f) => f.severity === 'critical')).toEqual([]);
    const run = await runBuiltCli(['merge', fleet.dir.file('healthy-1.json'), '-f', 'json', '--fail-on', 'critical']);
    expect(run.stderr).toContain('missing slice(s) 2/2: 1 of 3 hosts not reported');
    expect(run.code).toBe(3);
    const merged = JSON.parse(run.stdout) as FleetReport;
    expect(merged.hosts).toHaveLength(2);
    expect(merged.summary).toMatchObject({ hostsTotal: 3, hostsAudited: 2, hostsUnknown: 1 });
    // The saved merge keeps failing: re-rendered, its gate says FAIL and the exit code is 3.
    const saved = fleet.dir.file('merged-missing.json');
    await writeFile(saved, run.stdout);
    const again = await runBuiltCli(['report', saved, '-f', 'table', '--fail-on', 'critical']);
    expect(again.code).toBe(3);
    expect(again.stdout).toContain('Gate INCOMPLETE: 1 host unknown, 0 tolerated');
    expect(again.stdout).toContain('3 hosts: 2 audited, 1 unknown');
  });

  it('keeps a host reported twice once, from the later run, and says so', async () => {
    const file = fleet.dir.file('again.json');
    const first = await audit(['--shard', '1/1'], file);
    const again = fleet.dir.file('again-2.json');
    const later = { ...first.report, finishedAt: new Date(Date.parse(first.report.finishedAt) + 60_000).toISOString() };
    await writeFile(again, JSON.stringify(later));
    const run = await runBuiltCli(['merge', file, again, '-f', 'json', '--max-unknown', '1']);
    expect(run.stderr).toContain(`host "web-1" is in both ${file} and ${again}; kept the later run (${again})`);
    expect((JSON.parse(run.stdout) as FleetReport).hosts).toHaveLength(6);
  });

  it('refuses a bad --shard before contacting anything, and a report without the slices it claims', async () => {
    const before = fleet.connections();
    const run = await runBuiltCli(['audit', '-i', inventory, '--shard', '4/3']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--shard: expected K/N');
    expect(fleet.connections()).toBe(before);
    const broken = fleet.dir.file('broken.json');
    const { report } = await audit(['--shard', '1/2'], fleet.dir.file('ok.json'));
    await writeFile(broken, JSON.stringify({ ...report, shard: { ...report.shard, positions: [] } }));
    const bad = await runBuiltCli(['merge', broken]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${broken} shard.positions: expected one position per host`);
  });
});
