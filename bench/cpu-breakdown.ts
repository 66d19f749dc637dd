// Where sockaudit's client CPU goes apart from SSH: the same work an audit does after the probe
// has answered — parse the captured systemd 252 output, copy the snapshot with shared strings,
// assess the fleet, render the JSON report — for N hosts in one cold process, as a run does
// (the first hosts pay for the JIT warming up). Module loading is measured separately.
//
//   node cpu-breakdown.js FIXTURE_DIR HOSTS
//
// Prints one JSON line: milliseconds of CPU (user + system) per stage, and per host.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function cpuMs(since?: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

async function main(): Promise<void> {
  const [fixtureDir, hostsArg] = process.argv.slice(2);
  if (fixtureDir === undefined || hostsArg === undefined) throw new Error('usage: cpu-breakdown FIXTURE_DIR HOSTS');
  const hosts = Number(hostsArg);
  let mark = process.cpuUsage();
  const { parseProbeOutput } = await import('../src/probes/parse-probe.js');
  const { SharedStrings } = await import('../src/collect/shared-strings.js');
  const { assessFleet } = await import('../src/model/assess.js');
  const { renderJson } = await import('../src/report/render-json.js');
  const importMs = cpuMs(mark);
  type Outcome = Parameters<typeof assessFleet>[0][number];
  const nonce = 'benchNonce01';
  const answers = ['healthy', 'failures'].map((name) => readFileSync(join(fixtureDir, `${name}.txt`), 'utf8').replaceAll('FIXTURENONCE', nonce));
  const strings = new SharedStrings();
  const outcomes: Outcome[] = [];
  let parseMs = 0;
  let copyMs = 0;
  for (let i = 0; i < hosts; i += 1) {
    mark = process.cpuUsage();
    const parsed = parseProbeOutput(answers[i % 2] ?? '', nonce, { exitCode: 0, stderr: '' });
    parseMs += cpuMs(mark);
    if (!parsed.ok) throw new Error(`fixture did not parse: ${parsed.detail}`);
    mark = process.cpuUsage();
    const snapshot = strings.copy(parsed.snapshot);
    copyMs += cpuMs(mark);
    const host = { name: `h${i}`, address: '127.0.0.1', port: 22, user: 'bench', identityFiles: [], useAgent: false, knownHostsFiles: [], connectTimeoutMs: 10_000, commandTimeoutMs: 60_000, groups: [], labels: {} };
    outcomes.push({ status: 'audited', host, snapshot, durationMs: 1 });
  }
  mark = process.cpuUsage();
  const report = assessFleet(outcomes, { toolVersion: 'bench', startedAt: new Date(), finishedAt: new Date() });
  const assessMs = cpuMs(mark);
  mark = process.cpuUsage();
  const text = renderJson(report);
  const renderMs = cpuMs(mark);
  const perHost = (ms: number): number => Math.round((ms / hosts) * 1000) / 1000;
  process.stdout.write(
    `${JSON.stringify({ hosts, reportBytes: text.length, importMs, parseMs, copyMs, assessMs, renderMs, perHostMs: { parse: perHost(parseMs), copy: perHost(copyMs), assess: perHost(assessMs), render: perHost(renderMs) } })}\n`,
  );
}

await main();
