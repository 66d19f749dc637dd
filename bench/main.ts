// `npm run bench` (through bench/run.sh): the side-by-side benchmark of issue 7 on one machine.
// A private OpenSSH sshd on loopback serves N inventory hosts (distinct 127.0.x.y addresses,
// strict host-key checking for every tool) whose login environment answers the probe with
// captured systemd 252 output; sockaudit, a bare ssh2 loop, xargs + ssh, pssh, clush and
// Ansible run the same probe at the same concurrency, in rotating order, several rounds.
// Then: round trips per host (packet capture), a 10,000-host run, and 50 ms of added latency.
// Writes bench/RESULTS.md and bench/results.json. Prints progress on stdout.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from '../src/demo/closed-port.js';
import { benchHosts, loopbackAddresses, makeKeys, writeFleetFiles, type FleetFiles } from './lib/fleet-files.js';
import { runLatencyLab, type LatencyResult } from './lib/latency-lab.js';
import { runMeasured, type Measured } from './lib/measure.js';
import { startPrivateSshd, type PrivateSshd } from './lib/private-sshd.js';
import { renderResults, type BenchResults, type CpuBreakdown, type ToolRun } from './lib/results-md.js';
import { captureRoundTrips, type RoundTrips } from './lib/round-trips.js';
import { tools, type Tool } from './lib/tools.js';

const repo = new URL('../../../..', import.meta.url).pathname.replace(/\/$/, '');
const benchBuild = new URL('../', import.meta.url).pathname.replace(/\/$/, '');

interface Args {
  hosts: number;
  concurrency: number;
  rounds: number;
  scaleHosts: number;
  latencyHosts: number;
  latencyConcurrency: number;
  skip: Set<string>;
  /** Tool keys to run side by side (all when empty). */
  only: Set<string>;
  /** Start the sshd and the fleet files, print them, wait for SIGINT/SIGTERM (profiling by hand). */
  serve: boolean;
  /** Only write bench/RESULTS.md again from bench/results.json (after a change to results-md.ts). */
  renderOnly: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { hosts: 200, concurrency: 32, rounds: 3, scaleHosts: 10_000, latencyHosts: 1_000, latencyConcurrency: 128, skip: new Set(), only: new Set(), serve: false, renderOnly: false };
  const numeric: Record<string, keyof Args> = { '--rounds': 'rounds', '--hosts': 'hosts', '--concurrency': 'concurrency', '--scale-hosts': 'scaleHosts', '--latency-hosts': 'latencyHosts' };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] ?? '';
    if (flag === '--serve' || flag === '--render-only') {
      if (flag === '--serve') args.serve = true;
      else args.renderOnly = true;
      i -= 1;
      continue;
    }
    const value = argv[i + 1];
    const key = numeric[flag];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--skip') value.split(',').forEach((part) => args.skip.add(part));
    else if (flag === '--tools') value.split(',').forEach((part) => args.only.add(part));
    else if (key !== undefined) Object.assign(args, { [key]: Number(value) });
    else throw new Error(`unknown argument ${flag} (known: --rounds N, --hosts N, --concurrency N, --scale-hosts N, --latency-hosts N, --skip sidebyside,roundtrips,scale,latency, --tools sockaudit,floor,xargs,pssh,clush,ansible, --serve, --render-only)`);
  }
  return args;
}

const benchUser = 'sockaudit-bench';

/** A dedicated login with /bin/sh: root's dotfiles (a bashrc that runs pyenv…) must not be measured. */
function ensureUser(): boolean {
  let created = false;
  try {
    execFileSync('id', [benchUser], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/bin/sh', benchUser]);
    created = true;
  }
  // '*': no password can log in, but the account is not "locked" ('!'), which sshd refuses.
  execFileSync('usermod', ['-p', '*', benchUser]);
  return created;
}

function version(command: string, args: string[]): string {
  // Some print it on stderr (ssh -V), some on stdout.
  const result = spawnSync(command, args, { encoding: 'utf8' });
  const text = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  return text.split('\n')[0]?.trim() || 'not installed';
}

/**
 * Host lines of a JSONL report so far (it is being written), read incrementally: re-reading a
 * 180 MB file every 10 s would take CPU from the run being measured.
 */
function hostLineCounter(file: string): () => number {
  let offset = 0;
  let count = 0;
  let tail = '';
  return () => {
    try {
      const fd = openSync(file, 'r');
      try {
        const buffer = Buffer.alloc(1 << 20);
        for (;;) {
          const read = readSync(fd, buffer, 0, buffer.length, offset);
          if (read === 0) break;
          offset += read;
          const lines = (tail + buffer.toString('latin1', 0, read)).split('\n');
          tail = lines.pop() ?? '';
          count += lines.filter((line) => line.startsWith('{"type":"host"')).length;
        }
      } finally {
        closeSync(fd);
      }
    } catch {
      // Not created yet.
    }
    return count;
  };
}

/**
 * Sections skipped in this run keep their figures from the previous bench/results.json (each
 * carries its own date and load), so that the long runs (10,000 hosts, latency) need not be
 * repeated with every side-by-side round.
 */
function previousResults(file: string): Partial<BenchResults> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Partial<BenchResults>;
  } catch {
    return {};
  }
}

function log(text: string): void {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${text}\n`);
}

async function runTool(tool: Tool, fleet: FleetFiles, concurrency: number, work: string, sshd: PrivateSshd): Promise<ToolRun> {
  const sshdBefore = sshd.cpuSeconds();
  const measured: Measured = await runMeasured(tool.spec(fleet, concurrency, work));
  // Sessions are reaped by the sshd master shortly after they end.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const sshdCpu = sshd.cpuSeconds() - sshdBefore;
  let ok = 0;
  try {
    ok = tool.succeeded(fleet, work, measured.stdoutTail);
  } catch {
    ok = 0;
  }
  return { tool: tool.name, hosts: fleet.hosts.length, ok, sshdCpuSeconds: sshdCpu, ...measured };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.renderOnly) {
    writeFileSync(join(repo, 'bench/RESULTS.md'), renderResults(JSON.parse(readFileSync(join(repo, 'bench/results.json'), 'utf8')) as BenchResults));
    log('wrote bench/RESULTS.md from bench/results.json');
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'sockaudit-bench-'));
  chmodSync(work, 0o755);
  const createdUser = ensureUser();
  const sshds: PrivateSshd[] = [];
  const results: BenchResults = {
    date: new Date().toISOString(),
    machine: {
      nproc: cpus().length,
      cpu: cpus()[0]?.model ?? '?',
      memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      kernel: version('uname', ['-sr']),
    },
    versions: {
      node: process.version,
      ssh2: (JSON.parse(readFileSync(join(repo, 'node_modules/ssh2/package.json'), 'utf8')) as { version: string }).version,
      openssh: version('ssh', ['-V']),
      pssh: version('parallel-ssh', ['--version']),
      clush: version('clush', ['--version']),
      ansible: version('ansible', ['--version']),
    },
    args: { hosts: args.hosts, concurrency: args.concurrency, rounds: args.rounds, scaleHosts: args.scaleHosts },
    runs: [],
    loadBefore: loadavg()[0] ?? 0,
    loadAfter: 0,
  };
  try {
    const keys = makeKeys(work);
    const authorizedKeys = join(work, 'authorized_keys');
    copyFileSync(`${keys.identityFile}.pub`, authorizedKeys);
    const fixtures = join(work, 'fixtures');
    mkdirSync(fixtures);
    for (const name of ['healthy', 'failures']) copyFileSync(join(repo, `test/fixtures/probe/systemd-252/${name}.txt`), join(fixtures, `${name}.txt`));
    const loginScript = join(work, 'login-env.awk');
    copyFileSync(join(repo, 'bench/login-env.awk'), loginScript);
    for (const file of [authorizedKeys, loginScript, join(fixtures, 'healthy.txt'), join(fixtures, 'failures.txt')]) chmodSync(file, 0o644);
    chmodSync(fixtures, 0o755);

    const addresses = loopbackAddresses(Math.min(args.hosts, 200));
    const port = await closedPort();
    log(`private sshd on port ${port}, ${addresses.length} loopback addresses`);
    const sshd = await startPrivateSshd({ dir: work, port, listen: ['0.0.0.0'], hostKeyFile: keys.hostKeyFile, authorizedKeysFile: authorizedKeys, user: benchUser, loginScript, fixtureDir: fixtures, maxStartups: '1000:30:1000' });
    sshds.push(sshd);

    const toolList = tools({ repo, benchBuild }).filter((t) => args.only.size === 0 || args.only.has(t.key));
    if (args.serve) {
      // By hand: profile or debug one tool against the same sshd and fleet the benchmark uses.
      const fleet = writeFleetFiles(work, 'fleet', benchUser, benchHosts(args.hosts, addresses, port), keys);
      log(`serving: sshd pid ${sshd.pid}, port ${port}; files in ${work}:`);
      for (const tool of toolList) {
        const spec = tool.spec(fleet, args.concurrency, work);
        log(`  ${tool.key}: ${spec.command} ${spec.args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ')}${spec.stdinFile === undefined ? '' : ` < ${spec.stdinFile}`}`);
      }
      log('Ctrl-C or SIGTERM stops the sshd and removes the files and the login user');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      return;
    }
    if (!args.skip.has('sidebyside')) {
      const fleet = writeFleetFiles(work, 'fleet', benchUser, benchHosts(args.hosts, addresses, port), keys);
      // Before the first run: every run of this round set is measured at or after it (rows kept
      // from an earlier run are older, and the table says so).
      results.sideBySideAt = new Date().toISOString();
      for (let round = 0; round < args.rounds; round += 1) {
        // Rotate the order so no tool always runs right after the heaviest one.
        const order = toolList.map((_, i) => toolList[(i + round) % toolList.length] as Tool);
        for (const tool of order) {
          const run = await runTool(tool, fleet, args.concurrency, work, sshd);
          results.runs.push({ ...run, round, measuredAt: new Date().toISOString() });
          log(`round ${round + 1} ${tool.name}: ${run.ok}/${run.hosts} in ${run.wallSeconds.toFixed(2)} s, ${((run.cpuSeconds / run.hosts) * 1000).toFixed(1)} ms CPU/host, load ${run.load1Before.toFixed(2)}`);
        }
      }
    }

    if (!args.skip.has('sidebyside')) {
      // The CLI's start-up alone: an audit of one host that stops before connecting (--dry-run
      // loads every module a real audit loads up front and also reads an inventory, which
      // `--version` did not). It is the part of the CPU per host that shrinks as the fleet grows.
      const one = writeFleetFiles(work, 'startup', benchUser, benchHosts(1, addresses, port), keys);
      const startups: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const measured = await runMeasured({ command: process.execPath, args: [join(repo, 'dist/cli/main.js'), 'audit', '--dry-run', '-i', one.inventoryFile], timeoutMs: 60_000, timeFile: join(work, 'time') });
        startups.push(measured.cpuSeconds);
      }
      results.startupCpuSeconds = startups.sort((a, b) => a - b)[2];
      // Parse, copy, assess and render on their own, for as many hosts as the side-by-side fleet.
      const breakdown = execFileSync(process.execPath, [join(benchBuild, 'bench/cpu-breakdown.js'), join(repo, 'test/fixtures/probe/systemd-252'), String(args.hosts)], { encoding: 'utf8' });
      results.cpuBreakdown = JSON.parse(breakdown.trim()) as CpuBreakdown;
    }

    if (!args.skip.has('roundtrips')) {
      const one = writeFleetFiles(work, 'one', benchUser, benchHosts(1, addresses.slice(2, 3), port), keys);
      const host = one.hosts[0];
      if (host !== undefined) {
        const counts: Record<string, RoundTrips> = {};
        for (const tool of toolList.filter((t) => t.name === 'sockaudit' || t.name === 'ssh2 floor' || t.name === 'xargs + ssh')) {
          counts[tool.name] = await captureRoundTrips(host.address, port, join(work, `${tool.name.replace(/\W+/g, '-')}.pcap`), async () => {
            await runTool(tool, one, 1, work, sshd);
          });
          log(`round trips ${tool.name}: ${counts[tool.name]?.fromSyn} from SYN`);
        }
        results.roundTrips = counts;
      }
    }

    if (!args.skip.has('scale')) {
      const scale = writeFleetFiles(work, 'scale', benchUser, benchHosts(args.scaleHosts, addresses, port), keys);
      const help = execFileSync(process.execPath, [join(repo, 'dist/cli/main.js'), 'audit', '--help'], { encoding: 'utf8' });
      const format = /\bjsonl\b/.test(help) ? 'jsonl' : 'json';
      const reportFile = join(work, `scale-report.${format}`);
      log(`scale: ${args.scaleHosts} hosts, -f ${format}`);
      // Hosts done every 10 s, from the streamed report: a flat rate means no superlinear
      // slow-down as the fleet grows.
      const timeline: number[] = [];
      const countHostLines = hostLineCounter(reportFile);
      const sampler = setInterval(() => timeline.push(countHostLines()), 10_000);
      const measured = await runMeasured({
        command: process.execPath,
        args: [join(repo, 'dist/cli/main.js'), 'audit', '-i', scale.inventoryFile, '-f', format, '-o', reportFile, '-c', '64', '--no-progress'],
        timeoutMs: 1_800_000,
        timeFile: join(work, 'time'),
      });
      clearInterval(sampler);
      const text = readFileSync(reportFile, 'utf8');
      const names = format === 'jsonl'
        ? text.split('\n').filter((line) => line.startsWith('{"type":"host"')).map((line) => (JSON.parse(line) as { host: { name: string; status: string } }).host)
        : (JSON.parse(text) as { hosts: { name: string; status: string }[] }).hosts;
      results.scale = {
        format,
        hosts: args.scaleHosts,
        inReport: new Set(names.map((h) => h.name)).size,
        audited: names.filter((h) => h.status === 'audited').length,
        timeline,
        measuredAt: new Date().toISOString(),
        ...measured,
      };
      rmSync(reportFile, { force: true });
      log(`scale: ${results.scale.inReport} in report, ${results.scale.audited} audited, peak RSS ${(measured.maxRssKb / 1024).toFixed(0)} MB, ${measured.wallSeconds.toFixed(1)} s`);
    }

    if (!args.skip.has('latency')) {
      try {
        const latency: LatencyResult = await runLatencyLab({
          repo,
          benchBuild,
          work,
          keys,
          user: benchUser,
          addresses,
          sshdPort: port,
          sshdCpuSeconds: () => sshd.cpuSeconds(),
          freePort: closedPort,
          hosts: args.latencyHosts,
          concurrency: args.latencyConcurrency,
          rttMs: 50,
          log,
        });
        results.latency = latency;
      } catch (error) {
        results.latency = { error: error instanceof Error ? error.message : String(error) };
        log(`latency lab failed: ${results.latency.error}`);
      }
    }
  } finally {
    for (const sshd of sshds) await sshd.stop();
    if (createdUser) execFileSync('userdel', [benchUser]);
    results.loadAfter = loadavg()[0] ?? 0;
    rmSync(work, { recursive: true, force: true });
  }
  const previous = previousResults(join(repo, 'bench/results.json'));
  if (!args.skip.has('sidebyside') && args.only.size > 0 && previous.runs !== undefined) {
    // A run of some tools (--tools) replaces their rows only: the others keep the figures of
    // the run that measured them, with its date (the table says which rows are kept).
    const measured = new Set(results.runs.map((r) => r.tool));
    const kept = previous.runs.filter((r) => !measured.has(r.tool)).map((r) => ({ ...r, measuredAt: r.measuredAt ?? previous.sideBySideAt }));
    results.runs = [...results.runs, ...kept];
  }
  if (args.skip.has('sidebyside') && previous.runs !== undefined) {
    results.runs = previous.runs;
    results.startupCpuSeconds = previous.startupCpuSeconds;
    results.cpuBreakdown = previous.cpuBreakdown;
    results.args = previous.args ?? results.args;
    results.sideBySideAt = previous.sideBySideAt;
  }
  if (args.skip.has('roundtrips') && results.roundTrips === undefined) results.roundTrips = previous.roundTrips;
  if (args.skip.has('scale') && results.scale === undefined) results.scale = previous.scale;
  if (args.skip.has('latency') && results.latency === undefined) results.latency = previous.latency;
  writeFileSync(join(repo, 'bench/results.json'), `${JSON.stringify(results, (key, value: unknown) => (key === 'stdoutTail' || key === 'stderrTail' ? undefined : value), 2)}\n`);
  writeFileSync(join(repo, 'bench/RESULTS.md'), renderResults(results));
  log('wrote bench/RESULTS.md and bench/results.json');
}

await main();
