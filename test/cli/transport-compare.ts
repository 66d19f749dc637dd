// What the tests comparing the two transports share: whether `ssh` is here at all, and a report
// with what differs between any two runs (times, durations, wording of details) blanked out.
import { execFileSync } from 'node:child_process';
import type { FleetReport } from '../../src/model/types.js';

export function hasSsh(): boolean {
  try {
    execFileSync('ssh', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function comparable(report: FleetReport): unknown {
  const text = JSON.stringify({ ...report, startedAt: 0, finishedAt: 0, durationMs: 0, hosts: report.hosts.map((h) => ({ ...h, durationMs: 0, detail: h.detail === undefined ? undefined : 'DETAIL' })) });
  return JSON.parse(text.replace(/\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?Z?/g, 'TIME')) as unknown;
}
