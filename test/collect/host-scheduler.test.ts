import { describe, expect, it } from 'vitest';
import { HostScheduler } from '../../src/collect/host-scheduler.js';

/** Runs the scheduler to the end, finishing the oldest running item each step. */
function drain(keys: string[], concurrency: number, perAddress: number): { order: number[]; maxByKey: Map<string, number>; maxRunning: number } {
  const scheduler = new HostScheduler(keys, (key) => key, { concurrency, perAddress });
  const running: number[] = [];
  const order: number[] = [];
  const maxByKey = new Map<string, number>();
  let maxRunning = 0;
  const start = (): void => {
    for (const index of scheduler.take()) {
      running.push(index);
      order.push(index);
    }
    maxRunning = Math.max(maxRunning, running.length);
    for (const key of new Set(keys)) {
      const count = running.filter((i) => keys[i] === key).length;
      maxByKey.set(key, Math.max(maxByKey.get(key) ?? 0, count));
    }
  };
  start();
  while (running.length > 0) {
    const index = running.shift() as number;
    scheduler.done(index);
    start();
  }
  return { order, maxByKey, maxRunning };
}

describe('HostScheduler', () => {
  it('starts every item once, in order when no cap binds', () => {
    const { order, maxRunning } = drain(['a', 'b', 'c', 'd', 'e'], 2, 8);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(maxRunning).toBe(2);
  });

  it('never runs more than the per-address cap towards one target, and lets other targets overtake', () => {
    const keys = [...Array<string>(10).fill('lb'), 'x', 'y', 'z'];
    const { order, maxByKey, maxRunning } = drain(keys, 6, 2);
    expect(maxByKey.get('lb')).toBe(2);
    expect(maxRunning).toBe(5);
    expect([...order].sort((a, b) => a - b)).toEqual(keys.map((_, i) => i));
    // x, y and z did not wait for the ten hosts behind the load balancer.
    expect(order.indexOf(10)).toBeLessThan(order.indexOf(4));
    expect(order.slice(0, 5)).toEqual([0, 1, 10, 11, 12]);
  });

  it('keeps the inventory order within one target', () => {
    const keys = ['a', 'b', 'a', 'a', 'b', 'a'];
    const { order } = drain(keys, 4, 1);
    expect(order.filter((i) => keys[i] === 'a')).toEqual([0, 2, 3, 5]);
    expect(order.filter((i) => keys[i] === 'b')).toEqual([1, 4]);
  });

  it('starts nothing after close and lists what never started', () => {
    const scheduler = new HostScheduler(['a', 'a', 'b', 'c'], (key) => key, { concurrency: 2, perAddress: 1 });
    expect(scheduler.take()).toEqual([0, 2]);
    scheduler.close();
    scheduler.done(0);
    expect(scheduler.take()).toEqual([]);
    expect(scheduler.remaining()).toEqual([1, 3]);
  });
});
