import { describe, expect, it } from 'vitest';
import { didYouMean } from '../../src/inventory/did-you-mean.js';
import { durationExpectation, parseDuration } from '../../src/inventory/duration.js';
import { expandEnvVars, expandPath } from '../../src/inventory/expand.js';

describe('parseDuration', () => {
  it.each([
    [10, 10_000],
    [0.5, 500],
    ['10', 10_000],
    ['500ms', 500],
    ['10s', 10_000],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    [' 3 s ', 3000],
  ] as const)('%j is %d ms', (value, ms) => {
    expect(parseDuration(value)).toBe(ms);
  });

  it.each([0, -1, '0s', '-5s', 'soon', '10 min', '1m30s', '', 's', 0.0001, Infinity, Number.NaN, '99999999h'])('%j is not a duration', (value) => {
    expect(parseDuration(value)).toBeUndefined();
  });

  it('describes itself for error messages', () => {
    expect(durationExpectation).toBe('a duration such as 10 (seconds), "500ms", "10s" or "2m"');
  });
});

describe('expandEnvVars', () => {
  const env = { A: 'x', EMPTY: '' };

  it.each([
    ['plain', 'plain', false],
    ['${A}', 'x', true],
    ['pre-${A}-${A}', 'pre-x-x', true],
    ['${EMPTY}', '', true],
    ['$${A}', '${A}', true],
    ['$$${A}', '$${A}', true], // read left to right: a lone $, then the $${ escape
    ['$A and $5', '$A and $5', false],
  ])('%s becomes %s', (text, value, changed) => {
    expect(expandEnvVars(text, env)).toEqual({ ok: true, value, changed });
  });

  it('names every unset variable once', () => {
    expect(expandEnvVars('${B}${C}${B}', env)).toMatchObject({ ok: false, message: 'environment variables B, C are not set' });
  });
});

describe('expandPath', () => {
  it.each([
    ['~', '/home/u'],
    ['~/.ssh/k', '/home/u/.ssh/k'],
    ['keys/k', '/srv/inv/keys/k'],
    ['../k', '/srv/k'],
    ['/abs/k', '/abs/k'],
  ])('%s becomes %s', (value, expected) => {
    expect(expandPath(value, '/home/u', '/srv/inv')).toEqual({ ok: true, value: expected });
  });

  it('refuses ~otheruser and empty paths', () => {
    expect(expandPath('~bob/k', '/home/u', '/srv')).toMatchObject({ ok: false });
    expect(expandPath('', '/home/u', '/srv')).toMatchObject({ ok: false, message: 'expected a path, got an empty string' });
  });
});

describe('didYouMean', () => {
  const keys = ['user', 'port', 'identity_file', 'known_hosts_file', 'connect_timeout'];

  it.each([
    ['prot', 'port'],
    ['usr', 'user'],
    ['identityFile', 'identity_file'],
    ['IDENTITY-FILE', 'identity_file'],
    ['known_host_file', 'known_hosts_file'],
    ['conect_timeout', 'connect_timeout'],
  ])('%s → %s', (word, expected) => {
    expect(didYouMean(word, keys)).toBe(expected);
  });

  it('stays silent when nothing is close', () => {
    expect(didYouMean('colour', keys)).toBeUndefined();
    expect(didYouMean('x', keys)).toBeUndefined();
  });
});
