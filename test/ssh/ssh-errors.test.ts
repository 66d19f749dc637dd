import { describe, expect, it } from 'vitest';
import { classifyError, oneLine } from '../../src/ssh/ssh-errors.js';

function errnoError(code: string, message = `connect ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifyError', () => {
  it.each([
    ['ENOTFOUND', 'tcp', 'dns'],
    ['EAI_AGAIN', 'tcp', 'dns'],
    ['EAI_NONAME', 'tcp', 'dns'],
    ['ECONNREFUSED', 'tcp', 'refused'],
    ['EHOSTUNREACH', 'tcp', 'unreachable'],
    ['ENETUNREACH', 'tcp', 'unreachable'],
    ['EHOSTDOWN', 'tcp', 'unreachable'],
    ['ETIMEDOUT', 'tcp', 'connect-timeout'],
    ['ETIMEDOUT', 'command', 'ssh-error'],
    ['ECONNRESET', 'handshake', 'ssh-error'],
    ['EPIPE', 'command', 'ssh-error'],
  ] as const)('maps %s during %s to %s', (code, phase, reason) => {
    expect(classifyError(errnoError(code), phase, 'db1', 22).reason).toBe(reason);
  });

  it('names the host in the detail', () => {
    expect(classifyError(errnoError('ENOTFOUND'), 'tcp', 'nonexistent.invalid', 22).detail).toBe(
      'cannot resolve nonexistent.invalid (ENOTFOUND)',
    );
    expect(classifyError(errnoError('ECONNREFUSED'), 'tcp', '10.0.0.1', 2222).detail).toContain('10.0.0.1:2222 refused');
  });

  it('reads the code of the first attempt of a multi-address connect (AggregateError)', () => {
    const aggregate = new AggregateError([errnoError('ECONNREFUSED'), errnoError('ECONNREFUSED')], 'connect failed');
    expect(classifyError(aggregate, 'tcp', 'localhost', 22).reason).toBe('refused');
  });

  it('treats an SSH disconnect "no more auth methods" during authentication as auth-failed', () => {
    const error = Object.assign(new Error('Too many authentication failures'), { code: 14 });
    expect(classifyError(error, 'auth', 'db1', 22)).toEqual({
      reason: 'auth-failed',
      detail: 'db1:22 ended authentication: Too many authentication failures',
    });
  });

  it('keeps other messages as one-line ssh-error details, with where it happened', () => {
    const error = Object.assign(new Error('Handshake failed:\nno matching host key format'), { level: 'handshake' });
    expect(classifyError(error, 'handshake', 'db1', 22)).toEqual({
      reason: 'ssh-error',
      detail: 'Handshake failed: no matching host key format (db1:22, during the SSH handshake)',
    });
    expect(classifyError('weird', 'command', 'db1', 22).detail).toContain('weird');
  });
});

describe('oneLine', () => {
  it('joins lines with single spaces', () => {
    expect(oneLine('  a\r\n  b\n\nc ')).toBe('a b c');
  });
});
