import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/model/config-error.js';
import { assignShards, parseShard, selectShard } from '../../src/shard/shard.js';

const names = Array.from({ length: 1000 }, (_, i) => ({ name: `host-${String(i).padStart(4, '0')}.example.net` }));

describe('parseShard', () => {
  it.each([
    ['1/1', { index: 1, count: 1 }],
    ['2/4', { index: 2, count: 4 }],
    [' 4/4 ', { index: 4, count: 4 }],
  ])('reads %j', (text, spec) => {
    expect(parseShard(text)).toEqual(spec);
  });

  it.each(['0/4', '5/4', '1/0', '1', 'a/b', '1/2/3', '-1/2', '1.5/3', ''])('refuses %j with a ConfigError naming the flag', (text) => {
    expect(() => parseShard(text)).toThrow(ConfigError);
    expect(() => parseShard(text)).toThrow(/--shard: expected K\/N/);
  });
});

describe('selectShard', () => {
  it('splits the hosts into N disjoint slices that cover them all, sizes within one', () => {
    for (const count of [1, 2, 3, 7, 16]) {
      const slices = Array.from({ length: count }, (_, k) => selectShard(names, { index: k + 1, count }));
      const all = slices.flatMap((s) => s.items.map((i) => i.name));
      expect(new Set(all).size).toBe(names.length);
      expect(all).toHaveLength(names.length);
      const sizes = slices.map((s) => s.items.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('keeps every host in its slice when the inventory is reordered', () => {
    const reversed = [...names].reverse();
    const shuffled = names.map((n, i) => ({ n, key: (i * 7919) % names.length })).sort((a, b) => a.key - b.key).map((x) => x.n);
    const before = assignShards(names.map((n) => n.name), 5);
    expect(assignShards(reversed.map((n) => n.name), 5)).toEqual(before);
    expect(assignShards(shuffled.map((n) => n.name), 5)).toEqual(before);
  });

  it('does not follow inventory order: consecutive hosts spread over the slices', () => {
    const first = selectShard(names.slice(0, 10), { index: 1, count: 2 });
    expect(first.items.map((i) => i.name)).not.toEqual(names.slice(0, 5).map((n) => n.name));
  });

  it('returns the slice in inventory order with each host’s position in the selection', () => {
    const slice = selectShard(names, { index: 3, count: 4 });
    expect(slice.positions).toEqual([...slice.positions].sort((a, b) => a - b));
    slice.items.forEach((item, i) => expect(names[slice.positions[i] ?? -1]).toBe(item));
  });
});
