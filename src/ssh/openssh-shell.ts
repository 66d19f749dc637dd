// `--transport openssh`: the probe through the system `ssh` client, for what ssh2 cannot do
// (GSSAPI/Kerberos, FIDO keys, exotic ProxyCommands). Never prompts (BatchMode), verifies host
// keys against the inventory's known_hosts files, and maps ssh's failures onto the ssh2
// transport's reasons. Connections share one ControlMaster socket per host in a private
// directory that lives as long as the run.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { shellJoin } from '../model/shell-quote.js';
import type { HostTarget, JumpHost, SshEndpoint } from '../model/types.js';
import { classifySshStderr } from './openssh-errors.js';
import type { ExecOptions, ExecOutcome, RemoteShell } from './remote-shell.js';
import { runProcess } from './run-process.js';
import { oneLine } from './ssh-errors.js';

export interface OpenSshShellOptions {
  acceptNewHostKeys?: boolean;
  env?: NodeJS.ProcessEnv;
  /** `-F` for ssh: a file, or `none`; ssh's own default when absent. */
  sshConfigFile?: string;
  /** The client binary; `ssh` from PATH by default. */
  sshBinary?: string;
}

/** ssh expands `%h`-style tokens in ProxyCommand; ours are literal text. */
function escapePercent(command: string): string {
  return command.replace(/%/g, '%%');
}

/** ssh_config values are split on blanks unless quoted. */
function quoted(file: string): string {
  return /[\s"]/.test(file) ? `"${file.replace(/"/g, '')}"` : file;
}

export class OpenSshShell implements RemoteShell {
  private controlDir: Promise<string> | undefined;

  constructor(private readonly options: OpenSshShellOptions = {}) {}

  /** The ssh arguments for one host, the command last. */
  args(host: HostTarget, command: string, controlDir: string): string[] {
    const args = ['-T', ...this.endpointOptions(host, controlDir)];
    const jumps = host.jumps ?? [];
    if (jumps.length > 0) args.push('-o', `ProxyCommand=${escapePercent(this.reaching(jumps, host.address, host.port))}`);
    args.push('-p', String(host.port), '-l', host.user, '--', host.address, command);
    return args;
  }

  /**
   * Options that say how to log in to one server: the host, or (without `controlDir`) a jump
   * host on the way.
   */
  private endpointOptions(endpoint: SshEndpoint, controlDir: string | undefined): string[] {
    const args: string[] = [];
    if (this.options.sshConfigFile !== undefined) args.push('-F', this.options.sshConfigFile);
    const o = (option: string): void => void args.push('-o', option);
    o('BatchMode=yes');
    o('PasswordAuthentication=no');
    o('KbdInteractiveAuthentication=no');
    o(`ConnectTimeout=${Math.max(1, Math.ceil(endpoint.connectTimeoutMs / 1000))}`);
    const acceptNew = this.options.acceptNewHostKeys === true || endpoint.acceptNewHostKey === true;
    o(`StrictHostKeyChecking=${acceptNew ? 'accept-new' : 'yes'}`);
    o(`UserKnownHostsFile=${endpoint.knownHostsFiles.length === 0 ? 'none' : endpoint.knownHostsFiles.map(quoted).join(' ')}`);
    // Our known_hosts list already holds the global file when the inventory wants it.
    o('GlobalKnownHostsFile=none');
    // Warnings such as "Permanently added …" are not failures; errors still reach stderr. A
    // jump host's client logs a refused forward ("channel 0: open failed: connect failed:
    // Connection refused") at INFO, and that line is the only account of why.
    o(`LogLevel=${controlDir === undefined ? 'INFO' : 'ERROR'}`);
    if (controlDir === undefined) {
      o('ControlMaster=no');
      o('ControlPath=none');
    } else {
      o('ControlMaster=auto');
      o(`ControlPath=${path.join(controlDir, '%C')}`);
      // A persisting master keeps our stderr pipe open after the client exits; without it the
      // master lives as long as its first session and serves the others meanwhile.
      o('ControlPersist=no');
    }
    if (!endpoint.useAgent) o('IdentityAgent=none');
    for (const file of endpoint.identityFiles) args.push('-i', file);
    if (endpoint.identityFiles.length > 0 && !endpoint.useAgent) o('IdentitiesOnly=yes');
    return args;
  }

  /**
   * A ProxyCommand whose stdin/stdout reach `address:port` through `hops`: `ssh -W` to the last
   * hop, which reaches its own server through the hops before it. Written out rather than as
   * `-J`, which would give the jump hosts none of the inventory's keys and known_hosts files.
   * Each host logs in to its jump hosts on its own, as `ssh -J` does: through a shared
   * ControlMaster, a refused forward would be reported on the master's stderr, in another
   * host's process, and this host would see only a closed connection. (The ssh2 transport
   * shares one connection per jump host and still names each failure.)
   */
  private reaching(hops: readonly JumpHost[], address: string, port: number): string {
    const hop = hops.at(-1);
    if (hop === undefined) throw new Error('empty jump host chain');
    const before = hops.slice(0, -1);
    const words = [this.options.sshBinary ?? 'ssh', '-T', ...this.endpointOptions(hop, undefined)];
    if (before.length > 0) words.push('-o', `ProxyCommand=${escapePercent(this.reaching(before, hop.address, hop.port))}`);
    words.push('-W', `${address}:${port}`, '-p', String(hop.port), '-l', hop.user, '--', hop.address);
    return shellJoin(words);
  }

  async exec(host: HostTarget, command: string, options: ExecOptions): Promise<ExecOutcome> {
    if (options.signal?.aborted === true) return { ok: false, reason: 'deadline', detail: 'aborted before connecting', durationMs: 0 };
    const run = await runProcess({
      file: this.options.sshBinary ?? 'ssh',
      args: this.args(host, command, await this.dir()),
      stdin: options.stdin ?? '',
      env: this.options.env ?? process.env,
      timeoutMs: host.connectTimeoutMs + host.commandTimeoutMs,
      maxOutputBytes: options.maxOutputBytes,
      signal: options.signal,
    });
    if (run.kind === 'exited') {
      const failure = run.exitCode === 255 ? classifySshStderr(run.stderr) : undefined;
      if (failure !== undefined) {
        return { ok: false, reason: failure.reason, detail: failure.detail, durationMs: run.durationMs, ...(failure.transient ? { transient: true } : {}) };
      }
      return { ok: true, result: { stdout: run.stdout, stderr: run.stderr, exitCode: run.exitCode, signal: run.signal, durationMs: run.durationMs } };
    }
    if (run.kind === 'spawn-error') return { ok: false, reason: 'ssh-error', detail: oneLine(run.detail), durationMs: run.durationMs };
    const reason = run.kind === 'timeout' ? 'command-timeout' : run.kind === 'aborted' ? 'deadline' : 'output-limit';
    return { ok: false, reason, detail: oneLine(run.detail), durationMs: run.durationMs };
  }

  /** Removes the run's ControlMaster directory. */
  async close(): Promise<void> {
    const dir = this.controlDir;
    this.controlDir = undefined;
    if (dir !== undefined) await rm(await dir, { recursive: true, force: true });
  }

  private dir(): Promise<string> {
    // mkdtemp makes it 0700: nobody else can reach the control sockets in it.
    this.controlDir ??= mkdtemp(path.join(os.tmpdir(), 'sockaudit-ssh-'));
    return this.controlDir;
  }
}
