// `--transport openssh`: the probe through the system `ssh` client, for what ssh2 cannot do
// (GSSAPI/Kerberos, FIDO keys, exotic ProxyCommands). Never prompts (BatchMode), verifies host
// keys against the inventory's known_hosts files, and maps ssh's failures onto the ssh2
// transport's reasons. Connections share one ControlMaster socket per host in a private
// directory that lives as long as the run.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HostTarget } from '../model/types.js';
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

/** ssh_config values are split on blanks unless quoted. */
function quoted(file: string): string {
  return /[\s"]/.test(file) ? `"${file.replace(/"/g, '')}"` : file;
}

export class OpenSshShell implements RemoteShell {
  private controlDir: Promise<string> | undefined;

  constructor(private readonly options: OpenSshShellOptions = {}) {}

  /** The ssh arguments for one host, the command last. */
  args(host: HostTarget, command: string, controlDir: string): string[] {
    const args = ['-T'];
    if (this.options.sshConfigFile !== undefined) args.push('-F', this.options.sshConfigFile);
    const o = (option: string): void => void args.push('-o', option);
    o('BatchMode=yes');
    o('PasswordAuthentication=no');
    o('KbdInteractiveAuthentication=no');
    o(`ConnectTimeout=${Math.max(1, Math.ceil(host.connectTimeoutMs / 1000))}`);
    o(`StrictHostKeyChecking=${this.options.acceptNewHostKeys === true ? 'accept-new' : 'yes'}`);
    o(`UserKnownHostsFile=${host.knownHostsFiles.length === 0 ? 'none' : host.knownHostsFiles.map(quoted).join(' ')}`);
    // Our known_hosts list already holds the global file when the inventory wants it.
    o('GlobalKnownHostsFile=none');
    // Warnings such as "Permanently added …" are not failures; errors still reach stderr.
    o('LogLevel=ERROR');
    o('ControlMaster=auto');
    o(`ControlPath=${path.join(controlDir, '%C')}`);
    // A persisting master keeps our stderr pipe open after the client exits; without it the
    // master lives as long as its first session and serves the others meanwhile.
    o('ControlPersist=no');
    if (!host.useAgent) o('IdentityAgent=none');
    for (const file of host.identityFiles) args.push('-i', file);
    if (host.identityFiles.length > 0 && !host.useAgent) o('IdentitiesOnly=yes');
    args.push('-p', String(host.port), '-l', host.user, '--', host.address, command);
    return args;
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
