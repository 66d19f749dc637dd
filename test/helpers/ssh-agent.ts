// A real OpenSSH ssh-agent for agent-authentication tests, when the binaries are installed.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { access } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface TestAgent {
  socketPath: string;
  /** `ssh-add` the private key file. */
  add(keyFile: string): void;
  stop(): Promise<void>;
}

export function sshAgentAvailable(): boolean {
  for (const binary of ['ssh-agent', 'ssh-add']) {
    try {
      execFileSync(binary, ['-h'], { stdio: 'ignore' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    }
  }
  return true;
}

/** Start `ssh-agent -D -a socketPath` (foreground, so the child is ours to stop). */
export async function startSshAgent(socketPath: string): Promise<TestAgent> {
  const child: ChildProcess = spawn('ssh-agent', ['-D', '-a', socketPath], { stdio: 'ignore' });
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      await access(socketPath);
      break;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill();
        throw new Error(`ssh-agent did not create ${socketPath}`);
      }
      await sleep(20);
    }
  }
  return {
    socketPath,
    add: (keyFile) => {
      execFileSync('ssh-add', [keyFile], { env: { ...process.env, SSH_AUTH_SOCK: socketPath }, stdio: 'ignore' });
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    },
  };
}
