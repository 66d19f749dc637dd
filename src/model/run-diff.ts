// What changed between two runs (`sockaudit diff old.json new.json`): plain data, computed by
// src/policy/run-diff.ts and rendered by src/report/render-diff.ts.
import type { CauseId, FindingKind, Severity, UnknownReason } from './types.js';

/** A finding as the diff lists it: its identity (host, unit, kind) and what it is about. */
export interface DiffFinding {
  host: string;
  unit: string;
  kind: FindingKind;
  severity: Severity;
  cause: CauseId;
  causeTitle: string;
  result: string | null;
  /** Persisting findings only: the old run's severity and cause, when they differ. */
  before?: { severity: Severity; cause: CauseId; causeTitle: string };
}

export type HostChangeKind =
  /** Audited (or not in the old run) before, unknown now. */
  | 'became-unknown'
  /** Unknown before, audited now. */
  | 'came-back'
  /** Unknown in both runs, for another reason. */
  | 'reason-changed'
  /** Not in the old run, audited now. */
  | 'added'
  /** In the old run, not in the new one. */
  | 'removed';

export interface HostState {
  status: 'audited' | 'unknown';
  reason: UnknownReason | null;
  detail: string | null;
}

export interface HostChange {
  host: string;
  change: HostChangeKind;
  before: HostState | null;
  after: HostState | null;
}

export interface RunDiff {
  schemaVersion: 1;
  old: { file: string; startedAt: string };
  new: { file: string; startedAt: string };
  findings: {
    /** In the new run only (same host, unit and kind). */
    new: DiffFinding[];
    /** In the old run only, on a host audited in the new run: fixed. */
    resolved: DiffFinding[];
    persisting: DiffFinding[];
    /** In the old run only, on a host the new run could not audit or did not select: not known to be fixed. */
    unverified: DiffFinding[];
  };
  hosts: HostChange[];
  summary: {
    newFindings: number;
    resolved: number;
    persisting: number;
    unverified: number;
    becameUnknown: number;
    cameBack: number;
    reasonChanged: number;
    added: number;
    removed: number;
  };
}
