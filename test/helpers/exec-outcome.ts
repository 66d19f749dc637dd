// Assertions on a transport's ExecOutcome, shared by the transport tests.
import { expect } from 'vitest';
import type { ExecOutcome } from '../../src/ssh/remote-shell.js';

/** Asserts a failure with `reason` and returns its detail for further checks. */
export function expectFailure(outcome: ExecOutcome, reason: string): string {
  expect(outcome).toMatchObject({ ok: false, reason });
  return outcome.ok ? '' : outcome.detail;
}
