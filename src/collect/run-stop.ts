// One abort signal for the whole run, fired by whichever comes first: the caller's signal
// (Ctrl-C, SIGTERM) or the global --deadline. It remembers which, so that hosts it ends can
// say why.
import { setMaxListeners } from 'node:events';

export type StopCause = { kind: 'interrupted'; why: string } | { kind: 'deadline'; why: string };

export class RunStop {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private readonly onExternalAbort: () => void;
  cause: StopCause | undefined;

  constructor(
    private readonly external: AbortSignal | undefined,
    deadlineMs: number | undefined,
  ) {
    // Every host in flight listens on this one signal (up to --concurrency of them); Node's
    // default limit of 10 listeners would print a leak warning on any fleet larger than that.
    setMaxListeners(0, this.controller.signal);
    this.onExternalAbort = () => this.stop({ kind: 'interrupted', why: describeReason(external?.reason) ?? 'run interrupted' });
    if (external?.aborted === true) this.onExternalAbort();
    else external?.addEventListener('abort', this.onExternalAbort, { once: true });
    if (deadlineMs !== undefined && this.cause === undefined) {
      this.timer = setTimeout(() => this.stop({ kind: 'deadline', why: `run deadline of ${formatMs(deadlineMs)} passed` }), deadlineMs);
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopped(): boolean {
    return this.cause !== undefined;
  }

  /** Detach from the caller's signal and clear the deadline timer. */
  dispose(): void {
    clearTimeout(this.timer);
    this.external?.removeEventListener('abort', this.onExternalAbort);
  }

  private stop(cause: StopCause): void {
    if (this.cause !== undefined) return;
    this.cause = cause;
    clearTimeout(this.timer);
    // The transport appends the reason's message to the detail of every host it ends.
    this.controller.abort(new Error(cause.why));
  }
}

function describeReason(reason: unknown): string | undefined {
  if (reason instanceof Error) return reason.name === 'AbortError' ? undefined : reason.message;
  return typeof reason === 'string' && reason !== '' ? reason : undefined;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
