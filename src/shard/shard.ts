// `--shard K/N`: which slice of the selected hosts this run audits. The slice depends only on
// the host names, not on their order in the inventory: hosts are ranked by a hash of their name
// and dealt out round-robin, so N runs over the same inventory split it into N disjoint slices
// whose sizes differ by at most one, and reordering the inventory moves no host.
import { createHash } from 'node:crypto';
import { ConfigError } from '../model/config-error.js';

export interface ShardSpec {
  /** K, from 1. */
  index: number;
  /** N. */
  count: number;
}

const maxShards = 10_000;

export function parseShard(value: string, flag = '--shard'): ShardSpec {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || count < 1 || count > maxShards || index < 1 || index > count) {
    throw new ConfigError({
      path: flag,
      message: `expected K/N with 1 ≤ K ≤ N ≤ ${maxShards}, got "${value}"`,
      hint: 'e.g. --shard 2/4 audits the second of four slices; run K = 1…N on N machines and `sockaudit merge` their JSON reports',
    });
  }
  return { index, count };
}

function nameHash(name: string): string {
  return createHash('sha256').update(name, 'utf8').digest('hex');
}

/** The shard (1…count) of every host name, by hash rank; names must be unique. */
export function assignShards(names: readonly string[], count: number): Map<string, number> {
  const ranked = names.map((name) => ({ name, hash: nameHash(name) }));
  // Ties between hashes cannot happen for distinct names in practice; the name breaks them anyway.
  ranked.sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return new Map(ranked.map((entry, rank) => [entry.name, (rank % count) + 1]));
}

export interface ShardSlice<T> {
  items: T[];
  /** Each item's position in the unsliced list, so a merge can restore inventory order. */
  positions: number[];
}

/** The items of shard `spec.index`, in their original order. */
export function selectShard<T extends { name: string }>(items: readonly T[], spec: ShardSpec): ShardSlice<T> {
  const shards = assignShards(
    items.map((item) => item.name),
    spec.count,
  );
  const slice: ShardSlice<T> = { items: [], positions: [] };
  items.forEach((item, position) => {
    if (shards.get(item.name) !== spec.index) return;
    slice.items.push(item);
    slice.positions.push(position);
  });
  return slice;
}
