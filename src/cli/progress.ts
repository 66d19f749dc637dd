// A one-line progress bar on stderr while hosts are audited. Only on a TTY: in CI logs and
// pipes it would be noise, so there it stays silent.
import type { HostOutcome } from '../model/types.js';

export interface ProgressSink {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): unknown;
}

export interface Progress {
  onHostDone(outcome: HostOutcome): void;
  /** Erase the bar for a moment, so a line can be printed on the same terminal; the next
   *  onHostDone draws it again. */
  clear(): void;
  /** Erase the bar so the report starts on a clean line. */
  finish(): void;
}

const silent: Progress = { onHostDone: () => undefined, clear: () => undefined, finish: () => undefined };

export function createProgress(sink: ProgressSink, total: number, enabled: boolean): Progress {
  if (!enabled || sink.isTTY !== true || total === 0) return silent;
  let done = 0;
  let unknown = 0;
  let failed = 0;
  const width = 24;
  const draw = (): void => {
    const filled = Math.round((done / total) * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    sink.write(`\r\u001b[2K${bar} ${done}/${total} hosts · ${failed} with failed sockets · ${unknown} unknown`);
  };
  draw();
  return {
    onHostDone(outcome) {
      done += 1;
      if (outcome.status === 'unknown') unknown += 1;
      else if (outcome.snapshot.sockets.some((s) => s.active === 'failed')) failed += 1;
      draw();
    },
    clear() {
      sink.write('\r\u001b[2K');
    },
    finish() {
      sink.write('\r\u001b[2K');
    },
  };
}
