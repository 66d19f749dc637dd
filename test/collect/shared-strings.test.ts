// The snapshot copy that keeps 10,000 hosts in memory: it must mean exactly what the JSON round
// trip it replaced meant, and remember each distinct string once.
import { describe, expect, it } from 'vitest';
import { SharedStrings } from '../../src/collect/shared-strings.js';

describe('SharedStrings', () => {
  it('copies JSON data deeply, with the meaning of a JSON round trip', () => {
    const value = {
      unit: 'ssh.socket',
      listen: [{ kind: 'Stream', address: '[::]:22' }],
      nRefused: null,
      accept: false,
      count: 3,
      skipped: undefined,
      nested: { list: ['a', 'b', 'a'], empty: [] as string[] },
    };
    const copy = new SharedStrings().copy(value);
    expect(copy).toEqual(JSON.parse(JSON.stringify(value)));
    expect('skipped' in copy).toBe(false);
    expect(copy.listen).not.toBe(value.listen);
    expect(copy.nested.list).not.toBe(value.nested.list);
  });

  it('remembers each distinct string once across copies', () => {
    const strings = new SharedStrings();
    const host = (n: number): object => ({ unit: 'ssh.socket', state: 'active', host: `h${n}`, triggers: ['ssh@.service', 'ssh@.service'] });
    for (let n = 0; n < 50; n += 1) strings.copy(host(n));
    // 'ssh.socket', 'active', 'ssh@.service' and the 50 host names; keys are not values.
    expect(strings.size).toBe(53);
  });

  it('copies long strings without remembering them', () => {
    const strings = new SharedStrings();
    const long = 'x'.repeat(5_000);
    expect(strings.string(long)).toBe(long);
    expect(strings.size).toBe(0);
  });

  it('keeps non-plain objects as JSON would', () => {
    const when = new Date('2026-01-02T03:04:05Z');
    expect(new SharedStrings().copy({ when })).toEqual({ when: '2026-01-02T03:04:05.000Z' });
  });
});
