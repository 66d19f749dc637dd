import { describe, expect, it } from 'vitest';
import { diagnose, type DiagnosisInput } from '../../src/model/diagnose.js';
import type { CauseId, JournalEntry } from '../../src/model/types.js';
import { makeService, makeSocket } from '../helpers/model-factories.js';

const pid1 = (unit: string, message: string, extra: Partial<JournalEntry> = {}): JournalEntry => ({
  time: '2026-11-28T09:39:58.000Z',
  unit,
  priority: 4,
  message,
  pid: 1,
  identifier: 'systemd',
  ...extra,
});
const own = (unit: string, message: string): JournalEntry => ({ time: '2026-11-28T09:39:58.000Z', unit, priority: 6, message, pid: 77, identifier: 'api' });

const failedSocket = (result: string | null) => makeSocket({ active: 'failed', sub: 'failed', result });

describe('diagnose: socket-failed', () => {
  it.each([
    ['ERRNO 98', 'resources', [pid1('api.socket', 'api.socket: Failed to listen on sockets: boom', { errno: 98 })], 'port-in-use', 'journal-errno'],
    ['ERRNO 99', 'resources', [pid1('api.socket', 'x', { errno: 99 })], 'address-not-available', 'journal-errno'],
    ['ERRNO 13', 'resources', [pid1('api.socket', 'x', { errno: 13 })], 'permission-denied', 'journal-errno'],
    ['text only (247 has no ERRNO=)', 'resources', [pid1('api.socket', 'api.socket: Failed to listen on sockets: Address already in use')], 'port-in-use', 'journal-text'],
    ['EADDRNOTAVAIL text', 'resources', [pid1('api.socket', 'api.socket: Failed to create listening socket (10.9.9.9:80): Cannot assign requested address')], 'address-not-available', 'journal-text'],
    ['resources without evidence', 'resources', [], 'unknown', 'result'],
    ['service start limit', 'service-start-limit-hit', [], 'service-crash-loop', 'result'],
    ['219 name of the same', 'service-failed-permanent', [], 'service-crash-loop', 'result'],
    ['trigger limit', 'trigger-limit-hit', [], 'trigger-limit-hit', 'result'],
    ['socket start limit', 'start-limit-hit', [], 'socket-start-limit', 'result'],
    ['socket ExecStartPre', 'exit-code', [pid1('api.socket', 'api.socket: Control process exited, code=exited, status=1/FAILURE')], 'exec-pre-post-failed', 'journal-text'],
    ['timeout', 'timeout', [], 'timeout', 'result'],
    ['core dump', 'core-dump', [], 'killed-by-signal', 'result'],
    ['Result not printed, UNIT_RESULT in the journal (240+)', null, [pid1('api.socket', "api.socket: Failed with result 'trigger-limit-hit'.", { unitResult: 'trigger-limit-hit' })], 'trigger-limit-hit', 'journal-message-id'],
    ['Result reset, text of the result line (≤239)', 'success', [pid1('api.socket', "api.socket: Failed with result 'timeout'.")], 'timeout', 'journal-text'],
    ['nothing at all', null, [], 'unknown', 'none'],
  ] as const)('%s → %s', (_name, result, entries, id, basis) => {
    const cause = diagnose({ kind: 'socket-failed', socket: failedSocket(result), services: [makeService()], entries: [...entries] });
    expect(cause.id).toBe(id);
    expect(cause.basis).toBe(basis);
    expect(cause.title).not.toBe('');
  });

  it('a crash loop names the exit status, the number of exits and the daemon\'s last output', () => {
    const service = makeService({ active: 'failed', sub: 'failed', result: 'exit-code', execMainCode: 1, execMainStatus: 78 });
    const entries = [own('api.service', 'api: bad config key "x"'), pid1('api.service', 'api.service: Main process exited, code=exited, status=78/CONFIG'), own('api.service', 'api: bad config key "x"'), pid1('api.service', 'api.service: Main process exited, code=exited, status=78/CONFIG')];
    const cause = diagnose({ kind: 'socket-failed', socket: failedSocket('service-start-limit-hit'), services: [service], entries });
    expect(cause.detail).toBe(
      'api.service code=exited, status=78/CONFIG (2 exits); last output: "api: bad config key "x""; Result=exit-code; start limit hit (socket Result=service-start-limit-hit)',
    );
  });

  it('without a journal the exit status comes from ExecMainCode/ExecMainStatus', () => {
    const service = makeService({ active: 'failed', sub: 'failed', result: 'signal', execMainCode: 2, execMainStatus: 11 });
    expect(diagnose({ kind: 'socket-failed', socket: failedSocket('service-start-limit-hit'), services: [service], entries: [] }).detail).toContain('killed by signal 11');
  });
});

describe('diagnose: the kinds --failed misses', () => {
  const cases: Array<[string, DiagnosisInput, CauseId]> = [
    ['service-missing', { kind: 'service-missing', socket: makeSocket(), services: [makeService({ load: 'not-found', loadError: 'Unit api.service not found.' })], entries: [] }, 'missing-service-unit'],
    ['service-missing (masked)', { kind: 'service-missing', socket: makeSocket(), services: [makeService({ load: 'masked' })], entries: [] }, 'unit-masked'],
    ['template-missing', { kind: 'template-missing', socket: makeSocket({ accept: true, template: { unit: 'api@.service', found: false } }), services: [], entries: [] }, 'missing-template'],
    ['socket-not-loaded (bad-setting)', { kind: 'socket-not-loaded', socket: makeSocket({ load: 'bad-setting' }), services: [], entries: [] }, 'invalid-unit-setting'],
    ['socket-not-loaded (not-found)', { kind: 'socket-not-loaded', socket: makeSocket({ load: 'not-found' }), services: [], entries: [] }, 'missing-socket-unit'],
    ['socket-masked', { kind: 'socket-masked', socket: makeSocket({ load: 'masked' }), services: [], entries: [] }, 'unit-masked'],
    ['service-restart-loop', { kind: 'service-restart-loop', socket: makeSocket(), services: [makeService({ active: 'activating', sub: 'auto-restart', result: 'exit-code' })], entries: [] }, 'service-crash-loop'],
    ['service-failed (exit)', { kind: 'service-failed', socket: makeSocket(), services: [makeService({ active: 'failed', sub: 'failed', result: 'exit-code' })], entries: [] }, 'service-exit-failure'],
    ['service-failed (ExecStartPre)', { kind: 'service-failed', socket: makeSocket(), services: [makeService({ active: 'failed', sub: 'failed', result: 'exit-code' })], entries: [pid1('api.service', 'api.service: Control process exited, code=exited, status=1/FAILURE')] }, 'exec-pre-post-failed'],
    ['connections-refused (journal)', { kind: 'connections-refused', socket: makeSocket({ nRefused: 2 }), services: [], entries: [pid1('api.socket', 'api.socket: Too many incoming connections (1), dropping connection.')] }, 'connection-limit'],
    ['connections-refused (counters at the limit)', { kind: 'connections-refused', socket: makeSocket({ nRefused: 2, nConnections: 64, maxConnections: 64 }), services: [], entries: [] }, 'connection-limit'],
    ['connections-refused (no idea why)', { kind: 'connections-refused', socket: makeSocket({ nRefused: 2 }), services: [], entries: [] }, 'unknown'],
  ];
  it.each(cases)('%s', (_name, input, id) => {
    expect(diagnose(input).id).toBe(id);
  });
});

describe('diagnose: detail text', () => {
  it('joins the load error and the journal line into one sentence', () => {
    const detail = diagnose({
      kind: 'service-missing',
      socket: makeSocket(),
      services: [makeService({ load: 'not-found', loadError: 'Unit api.service not found.' })],
      entries: [pid1('api.socket', 'api.socket: Socket service api.service not loaded, refusing.')],
    }).detail;
    expect(detail).toContain('Unit api.service not found; journal: "api.socket: Socket service api.service not loaded, refusing."');
  });
});
