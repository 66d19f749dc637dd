// One child process with the same limits the ssh2 transport applies to a remote command: the
// script on stdin, a byte cap on stdout + stderr, a time limit and the run's abort signal. The
// local and OpenSSH transports both run through it.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface ProcessRequest {
  file: string;
  args: readonly string[];
  stdin: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
}

export type ProcessOutcome =
  | { kind: 'exited'; stdout: string; stderr: string; exitCode: number | null; signal: string | null; durationMs: number }
  | { kind: 'timeout' | 'aborted' | 'output-limit' | 'spawn-error'; detail: string; stderr: string; durationMs: number };

export function runProcess(request: ProcessRequest): Promise<ProcessOutcome> {
  const startedAt = performance.now();
  const elapsed = (): number => Math.round(performance.now() - startedAt);
  return new Promise((resolve) => {
    // Its own process group, so that a timeout also ends what the script started (systemctl,
    // journalctl): otherwise they keep the pipes open and the run waits for them.
    const child = spawn(request.file, request.args, { env: request.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let bytes = 0;
    let done = false;
    let stopped: { kind: 'timeout' | 'aborted' | 'output-limit'; detail: string } | undefined;

    const kill = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const stop = (kind: 'timeout' | 'aborted' | 'output-limit', detail: string): void => {
      if (stopped !== undefined || done) return;
      stopped = { kind, detail };
      kill();
    };
    const timer = setTimeout(() => stop('timeout', `still running after ${request.timeoutMs} ms; killed`), request.timeoutMs);
    const onAbort = (): void => stop('aborted', `aborted after ${elapsed()} ms`);
    if (request.signal?.aborted === true) onAbort();
    request.signal?.addEventListener('abort', onAbort, { once: true });

    const take = (into: Buffer[]) => (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > request.maxOutputBytes) {
        stop('output-limit', `output exceeded the limit of ${request.maxOutputBytes} bytes (stdout + stderr); stopped reading and killed the process`);
        return;
      }
      into.push(chunk);
    };
    child.stdout.on('data', take(out));
    child.stderr.on('data', take(err));
    // A process that exits without reading its stdin makes the write fail with EPIPE: not our error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(request.stdin);

    const finish = (outcome: ProcessOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    child.on('error', (error) => finish({ kind: 'spawn-error', detail: `cannot run ${request.file}: ${error.message}`, stderr: '', durationMs: elapsed() }));
    child.on('close', (code, signal) => {
      const stderr = Buffer.concat(err).toString('utf8');
      if (stopped !== undefined) return finish({ ...stopped, stderr, durationMs: elapsed() });
      finish({ kind: 'exited', stdout: Buffer.concat(out).toString('utf8'), stderr, exitCode: code, signal: signal === null ? null : signal.replace(/^SIG/, ''), durationMs: elapsed() });
    });
  });
}
