// Runs one tool as a child process and measures it: wall time of the whole process, CPU of its
// whole process tree (user + sys of every descendant it waited for, from GNU time), and peak
// RSS — both the largest single process (GNU time) and the sum over the tree (sampled /proc,
// which is what a fleet of ssh or Python worker processes really costs).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';

export interface Measured {
  wallSeconds: number;
  cpuSeconds: number;
  maxRssKb: number;
  peakTreeRssKb: number;
  exitCode: number | null;
  stdoutTail: string;
  stderrTail: string;
  load1Before: number;
}

export interface RunSpec {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Feed this file to stdin (the probe for pssh / clush). */
  stdinFile?: string;
  /** Send stdout to this file instead of keeping its tail. */
  stdoutFile?: string;
  timeoutMs: number;
  timeFile: string;
}

export async function runMeasured(spec: RunSpec): Promise<Measured> {
  const load1Before = loadavg()[0] ?? 0;
  rmSync(spec.timeFile, { force: true });
  const started = performance.now();
  const shellLine =
    (spec.stdinFile === undefined ? ' < /dev/null' : ` < ${quote(spec.stdinFile)}`) + (spec.stdoutFile === undefined ? '' : ` > ${quote(spec.stdoutFile)}`);
  const child = spawn('sh', ['-c', `exec /usr/bin/time -f '%e %U %S %M' -o ${quote(spec.timeFile)} "$@"${shellLine}`, 'sh', spec.command, ...spec.args], {
    env: spec.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout = (stdout + chunk).slice(-20_000)));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-20_000)));
  let peakTreeRssKb = 0;
  const sampler = setInterval(() => {
    if (child.pid !== undefined) peakTreeRssKb = Math.max(peakTreeRssKb, treeRssKb(child.pid));
  }, 100);
  const killer = setTimeout(() => child.kill('SIGKILL'), spec.timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const wallSeconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  clearTimeout(killer);
  const [, user, sys, rss] = readFileSync(spec.timeFile, 'utf8').trim().split('\n').pop()?.split(' ').map(Number) ?? [];
  return {
    wallSeconds,
    cpuSeconds: (user ?? 0) + (sys ?? 0),
    maxRssKb: rss ?? 0,
    peakTreeRssKb: Math.max(peakTreeRssKb, rss ?? 0),
    exitCode,
    stdoutTail: stdout,
    stderrTail: stderr,
    load1Before,
  };
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Sum of VmRSS over `root` and all its descendants. */
function treeRssKb(root: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      rss.set(Number(entry), Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0));
      const list = children.get(ppid);
      if (list === undefined) children.set(ppid, [Number(entry)]);
      else list.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}
