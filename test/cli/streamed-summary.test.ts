// A run whose every report is JSONL streams: no host is kept, and its summary line is folded host
// by host (model/fleet-tally.ts, policy/gate-tally.ts). It must read exactly as the summary
// line of the same run computed the old way, from the whole report — which is what a run that
// also writes a JSON file still does. Mixed fleet: healthy, failing, refused hosts; with and
// without a policy (waivers, requirements) and a baseline.
import { readFile, writeFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { startFakeFleet, type FakeFleet } from './fake-fleet.js';

let fleet: FakeFleet;
const names = ['web-1', 'web-3', 'app-2', 'app-3', 'queue-1', 'mail-1', 'db-1', 'web-2'];

beforeAll(async () => {
  fleet = await startFakeFleet(names);
});

afterAll(async () => {
  await fleet.close();
});

const policy = `waivers:
  - hosts: "web-*"
    units: shop-api.socket
    reason: known port clash, fixed next release
    expires: 2099-01-01
  - hosts: "@web"
    units: "metrics*"
    reason: matches nothing here
    expires: 2026-12-02
required:
  - hosts: "web-*"
    unit: nginx.socket
    listen: [80]
  - hosts: "app-*"
    unit: order-worker.socket
`;

async function audit(args: readonly string[]): Promise<number> {
  const stderr = new PassThrough();
  stderr.resume();
  return runCli(['audit', '--no-progress', ...args], { stdout: new PassThrough(), stderr, env: { SOCKAUDIT_NOW: '2026-11-28' } });
}

/** The summary line without the run's clock, and the host lines in inventory order. */
async function readStream(file: string): Promise<{ summary: Record<string, unknown>; hostLines: string[] }> {
  const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
  const summary = JSON.parse(lines.at(-1) ?? '{}') as Record<string, unknown>;
  for (const key of ['startedAt', 'finishedAt', 'durationMs']) delete summary[key];
  const hostLines = lines
    .slice(0, -1)
    .map((line) => JSON.parse(line) as { index: number; host: Record<string, unknown> })
    // Durations and probe timestamps differ between two runs; the rest of a host line must not.
    .map((line) => ({ ...line, host: { ...line.host, durationMs: 0 } }))
    .sort((a, b) => a.index - b.index)
    .map((line) => JSON.stringify(line).replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'T').replace(/'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC'/g, 'T'));
  return { summary, hostLines };
}

describe('the summary line of a streamed (JSONL-only) run', () => {
  it.each([
    ['no policy', false, false],
    ['a policy with waivers and requirements', true, false],
    ['a policy and a baseline', true, true],
  ])('equals the one computed from the whole report: %s', async (_name, withPolicy, withBaseline) => {
    const inventory = await fleet.inventory(names, ['edge-8', 'edge-9'], 'groups:\n  web:\n    hosts: [web-1]\n');
    const file = (name: string): string => fleet.dir.file(_name.replace(/\W+/g, '-'), name);
    const gate: string[] = [];
    if (withPolicy) {
      await writeFile(fleet.dir.file('policy.yaml'), policy);
      gate.push('--policy', fleet.dir.file('policy.yaml'));
    }
    if (withBaseline) {
      // An earlier run with one host fewer: some findings persist, the others are new.
      await audit(['-i', await fleet.inventory(names.slice(1), ['edge-8']), '-f', 'json', '-o', file('baseline.json')]);
      gate.push('--baseline', file('baseline.json'));
    }
    const streamedCode = await audit(['-i', inventory, '-f', 'jsonl', '-o', file('streamed.jsonl'), ...gate]);
    const wholeCode = await audit(['-i', inventory, '-f', 'jsonl', '-o', file('whole.jsonl'), '--report', `json:${file('whole.json')}`, ...gate]);
    const streamed = await readStream(file('streamed.jsonl'));
    const whole = await readStream(file('whole.jsonl'));
    expect(streamed.summary).toEqual(whole.summary);
    // Not vacuous: the fleet has findings on several units and hosts of each kind.
    expect(JSON.stringify(streamed.summary)).toBe(JSON.stringify(whole.summary));
    expect(streamed.summary.summary).toMatchObject({ hostsUnknown: 2, unknownByReason: { refused: 2 } });
    expect((streamed.summary.byUnit as unknown[]).length).toBeGreaterThan(2);
    expect(streamed.hostLines).toEqual(whole.hostLines);
    expect(streamedCode).toBe(wholeCode);
    expect(streamedCode).toBe(1);
    if (withPolicy) {
      const gateSummary = streamed.summary.gate as { waivers: { matched: number }[]; required: { checked: number; unmet: number }[] };
      expect(gateSummary.waivers.map((w) => w.matched)).toEqual([1, 0]);
      expect(gateSummary.required.map((r) => r.checked)).toEqual([3, 2]);
    }
    // The baseline run saw a subset of these hosts: every finding it had is still here.
    if (withBaseline) expect((streamed.summary.gate as { baseline: { notSeen: number } }).baseline.notSeen).toBe(0);
  });
});
