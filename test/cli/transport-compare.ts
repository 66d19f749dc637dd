// What the tests comparing two runs of the same fleet share: whether `ssh` is here at all, and a
// report with what differs between any two runs blanked out (times, durations; with
// `blankDetails`, the wording of unknown hosts' details, which differs between transports).
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

export function comparable(report: FleetReport, { blankDetails = true } = {}): unknown {
  const hosts = report.hosts.map((h) => ({ ...h, durationMs: 0, ...(blankDetails && h.detail !== undefined ? { detail: 'DETAIL' } : {}) }));
  const text = JSON.stringify({ ...report, startedAt: 0, finishedAt: 0, durationMs: 0, hosts });
  return JSON.parse(text.replace(/\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?Z?/g, 'TIME')) as unknown;
}
