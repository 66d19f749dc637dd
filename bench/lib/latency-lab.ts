// The 50 ms latency goal: 1,000 hosts at concurrency 128 with 50 ms of added round-trip time
// finish within 2 × the ideal (hosts × per-host latency ÷ concurrency).
//
// The issue asks for netem on a veth into a network namespace. This machine's kernel is built
// without netem (CONFIG_NET_SCH_NETEM, and every other delaying qdisc, unset), which the lab
// checks first. Instead, and labelled as such in RESULTS.md, a userspace proxy on loopback
// (bench/delay-proxy.ts) delays every chunk of data by 25 ms each way in front of the same
// private sshd. What that proxy does not model is in its header.
//
// Per-host latency is measured, not assumed: sockaudit audits a few hosts one at a time
// through the proxy, and each host's own duration (connect to exit status, from the report)
// is taken. The same at 0 ms added gives the round-trip count on the critical path:
// (duration at +RTT − duration at +0) ÷ RTT — a second, causal reading of the round trips
// that the packet capture counts from flights.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchHosts, writeFleetFiles, type FleetFiles } from './fleet-files.js';
import { runMeasured, type Measured } from './measure.js';

export interface LatencyOptions {
  repo: string;
  benchBuild: string;
  work: string;
  keys: { identityFile: string; hostKeyFile: string };
  user: string;
  addresses: readonly string[];
  sshdPort: number;
  sshdCpuSeconds: () => number;
  freePort: () => Promise<number>;
  hosts: number;
  concurrency: number;
  rttMs: number;
  log: (text: string) => void;
}

export type LatencyResult =
  | { error: string }
  | {
      method: string;
      netem: string;
      hosts: number;
      concurrency: number;
      rttMs: number;
      /** Median per-host duration (connect → exit status) one at a time, through the proxy at +0 and at +rttMs. */
      perHostSecondsAtZero: number;
      perHostSeconds: number;
      /** (perHostSeconds − perHostSecondsAtZero) ÷ rtt: round trips on the critical path. */
      roundTrips: number;
      idealSeconds: number;
      wallSeconds: number;
      /** The report's own startedAt → finishedAt (without Node's start-up and the report write). */
      auditSeconds: number;
      ok: number;
      cpuSeconds: number;
      sshdCpuSeconds: number;
      load1Before: number;
      /** The same fleet through the proxy with nothing added. */
      wallSecondsAtZero: number;
      auditSecondsAtZero: number;
      sshdCpuSecondsAtZero: number;
      measuredAt: string;
    };

/** Whether `tc` can attach netem here: tried on the loopback of a throwaway namespace. */
export function netemAvailable(): { ok: boolean; why: string } {
  const ns = `sa-netem-probe-${process.pid}`;
  try {
    execFileSync('ip', ['netns', 'add', ns]);
    execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    execFileSync('ip', ['netns', 'exec', ns, 'tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '25ms'], { stdio: ['ignore', 'ignore', 'pipe'] });
    return { ok: true, why: '' };
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return { ok: false, why: stderr === undefined || stderr === '' ? String(error) : stderr };
  } finally {
    try {
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    } catch {
      // Never created.
    }
  }
}

interface Proxy {
  port: number;
  stop(): Promise<void>;
}

async function startProxy(options: LatencyOptions, oneWayMs: number): Promise<Proxy> {
  const port = await options.freePort();
  const child = spawn(process.execPath, [join(options.benchBuild, 'bench/delay-proxy.js'), String(port), String(options.sshdPort), String(oneWayMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`delay proxy exited with ${code}`)));
    child.stdout.setEncoding('utf8').once('data', () => resolve());
  });
  child.removeAllListeners('exit');
  return {
    port,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

interface ReportHost {
  status: string;
  durationMs: number;
}

async function audit(options: LatencyOptions, fleet: FleetFiles, concurrency: number, file: string): Promise<{ measured: Measured; hosts: ReportHost[]; auditSeconds: number }> {
  const measured = await runMeasured({
    command: process.execPath,
    args: [join(options.repo, 'dist/cli/main.js'), 'audit', '-i', fleet.inventoryFile, '-f', 'json', '-o', file, '-c', String(concurrency), '--max-per-address', '16', '--no-progress'],
    timeoutMs: 900_000,
    timeFile: join(options.work, 'time'),
  });
  const report = JSON.parse(readFileSync(file, 'utf8')) as { hosts: ReportHost[]; startedAt: string; finishedAt: string };
  return { measured, hosts: report.hosts, auditSeconds: (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Median duration of `count` hosts audited one at a time through a proxy adding `oneWayMs` each way. */
async function perHostSeconds(options: LatencyOptions, oneWayMs: number, count: number): Promise<number> {
  const proxy = await startProxy(options, oneWayMs);
  try {
    const fleet = writeFleetFiles(options.work, `latency-one-${oneWayMs}`, options.user, benchHosts(count, options.addresses, proxy.port), options.keys);
    const { hosts } = await audit(options, fleet, 1, join(options.work, 'latency-one.json'));
    return median(hosts.filter((h) => h.status === 'audited').map((h) => h.durationMs)) / 1000;
  } finally {
    await proxy.stop();
  }
}

interface FleetRun {
  measured: Measured;
  ok: number;
  auditSeconds: number;
  sshdCpuSeconds: number;
}

/** The whole fleet at the lab's concurrency through a proxy adding `oneWayMs` each way. */
async function fleetRun(options: LatencyOptions, oneWayMs: number): Promise<FleetRun> {
  const proxy = await startProxy(options, oneWayMs);
  try {
    const fleet = writeFleetFiles(options.work, `latency-${oneWayMs}`, options.user, benchHosts(options.hosts, options.addresses, proxy.port), options.keys);
    const sshdBefore = options.sshdCpuSeconds();
    const { measured, hosts, auditSeconds } = await audit(options, fleet, options.concurrency, join(options.work, 'latency.json'));
    return { measured, ok: hosts.filter((h) => h.status === 'audited').length, auditSeconds, sshdCpuSeconds: options.sshdCpuSeconds() - sshdBefore };
  } finally {
    await proxy.stop();
  }
}

export async function runLatencyLab(options: LatencyOptions): Promise<LatencyResult> {
  const netem = netemAvailable();
  const netemNote = netem.ok ? 'available' : `unavailable (tc: "${netem.why}")`;
  options.log(`latency: netem ${netemNote}; userspace delay proxy on loopback, +${options.rttMs} ms RTT`);
  const oneWay = options.rttMs / 2;
  const atZero = await perHostSeconds(options, 0, 12);
  const perHost = await perHostSeconds(options, oneWay, 12);
  options.log(`latency: one host at a time ${(atZero * 1000).toFixed(0)} ms at +0, ${(perHost * 1000).toFixed(0)} ms at +${options.rttMs} ms RTT`);
  // The same fleet without added delay: what this machine's CPU alone allows, to tell the
  // latency the client fails to hide from the sshd's CPU it cannot do without.
  const zero = await fleetRun(options, 0);
  options.log(`latency: ${zero.ok}/${options.hosts} at +0 ms in ${zero.measured.wallSeconds.toFixed(1)} s (audit ${zero.auditSeconds.toFixed(1)} s); sshd CPU ${zero.sshdCpuSeconds.toFixed(1)} s`);
  const run = await fleetRun(options, oneWay);
  const idealSeconds = (options.hosts * perHost) / options.concurrency;
  options.log(`latency: ${run.ok}/${options.hosts} at +${options.rttMs} ms in ${run.measured.wallSeconds.toFixed(1)} s (audit ${run.auditSeconds.toFixed(1)} s), ideal ${idealSeconds.toFixed(1)} s; sshd CPU ${run.sshdCpuSeconds.toFixed(1)} s`);
  return {
    method: 'userspace TCP delay proxy on loopback (bench/delay-proxy.ts), not netem',
    netem: netemNote,
    hosts: options.hosts,
    concurrency: options.concurrency,
    rttMs: options.rttMs,
    perHostSecondsAtZero: atZero,
    perHostSeconds: perHost,
    roundTrips: ((perHost - atZero) * 1000) / options.rttMs,
    idealSeconds,
    wallSeconds: run.measured.wallSeconds,
    auditSeconds: run.auditSeconds,
    ok: run.ok,
    cpuSeconds: run.measured.cpuSeconds,
    sshdCpuSeconds: run.sshdCpuSeconds,
    load1Before: run.measured.load1Before,
    wallSecondsAtZero: zero.measured.wallSeconds,
    auditSecondsAtZero: zero.auditSeconds,
    sshdCpuSecondsAtZero: zero.sshdCpuSeconds,
    measuredAt: new Date().toISOString(),
  };
}
