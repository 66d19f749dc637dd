// A private OpenSSH sshd for the benchmark: its own config, host key, port and pid, never the
// system's. Its login environment answers the probe with a captured systemd 252 output (see
// login-env.awk): the session reads the probe from stdin, takes the nonce from it and prints
// the fixture with that nonce, as a real host would print its own state.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface PrivateSshd {
  pid: number;
  port: number;
  /** user + system CPU seconds of sshd and every session it has reaped so far. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export interface SshdOptions {
  dir: string;
  port: number;
  listen: readonly string[];
  hostKeyFile: string;
  authorizedKeysFile: string;
  user: string;
  loginScript: string;
  fixtureDir: string;
  maxStartups: string;
  /** Run inside this network namespace (ip netns exec). */
  netns?: string;
}

export async function startPrivateSshd(options: SshdOptions): Promise<PrivateSshd> {
  // Debian's sshd refuses to start without its privilege-separation directory.
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755 });
  const config = join(options.dir, `sshd_config-${options.port}`);
  writeFileSync(
    config,
    [
      `Port ${options.port}`,
      ...options.listen.map((address) => `ListenAddress ${address}`),
      `HostKey ${options.hostKeyFile}`,
      `PidFile ${join(options.dir, `sshd-${options.port}.pid`)}`,
      `AuthorizedKeysFile ${options.authorizedKeysFile}`,
      // The key file lives in a temp dir under /tmp (world-writable, so StrictModes would refuse it).
      'StrictModes no',
      // Listening on 0.0.0.0 (OpenSSH takes at most 16 ListenAddress lines) serves every
      // 127.0.0.0/8 address; logins are accepted from loopback only.
      `AllowUsers ${options.user}@127.0.0.0/8`,
      'PermitRootLogin no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'PrintMotd no',
      'PrintLastLog no',
      'LogLevel ERROR',
      `MaxStartups ${options.maxStartups}`,
      'MaxSessions 10',
      'LoginGraceTime 60',
      `ForceCommand exec awk -v D=${options.fixtureDir} -f ${options.loginScript}`,
      '',
    ].join('\n'),
  );
  const args = ['-D', '-e', '-f', config];
  const child: ChildProcess = options.netns === undefined ? spawn('/usr/sbin/sshd', args, { stdio: ['ignore', 'ignore', 'pipe'] }) : spawn('ip', ['netns', 'exec', options.netns, '/usr/sbin/sshd', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const pid = child.pid;
  if (pid === undefined) throw new Error('sshd did not start');
  const probeAddress = options.listen[0] === '0.0.0.0' ? '127.0.0.1' : (options.listen[0] ?? '127.0.0.1');
  for (let i = 0; ; i += 1) {
    if (child.exitCode !== null) throw new Error(`sshd exited: ${stderr}`);
    if (options.netns !== undefined || (await canConnect(probeAddress, options.port))) break;
    if (i > 100) throw new Error(`sshd not listening on ${probeAddress}:${options.port}: ${stderr}`);
    await sleep(50);
  }
  if (options.netns !== undefined) await sleep(500);
  return {
    pid,
    port: options.port,
    cpuSeconds: () => processTreeCpu(pid),
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    },
  };
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** utime + stime + cutime + cstime of a process, in seconds (cutime covers reaped children). */
export function processTreeCpu(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
    return ticks / 100;
  } catch {
    return 0;
  }
}
