// The `shard` field of a saved report, checked before a merge trusts it. The report reader
// does not know this field; a merge needs it exact, so it is validated here.
import { ConfigError } from '../model/config-error.js';
import type { ShardInfo } from '../model/types.js';
import { arrayOf, checkShape, num, object } from '../report/shape-check.js';

const shardInfoShape = object({ index: num, count: num, fleetHosts: num, positions: arrayOf(num) });

/** The report's shard info, or undefined for an unsharded report; a malformed one is a ConfigError. */
export function readShardInfo(value: unknown, hostCount: number, file: string): ShardInfo | undefined {
  if (value === undefined) return undefined;
  const issues = checkShape(value, shardInfoShape, 'shard');
  const info = value as ShardInfo;
  if (issues.length === 0) {
    const whole = [info.index, info.count, info.fleetHosts, ...info.positions].every(Number.isInteger);
    if (!whole || info.count < 1 || info.index < 1 || info.index > info.count) {
      issues.push({ path: 'shard', message: `expected 1 ≤ index ≤ count and whole numbers, got ${JSON.stringify({ index: info.index, count: info.count })}` });
    } else if (info.positions.length !== hostCount) {
      issues.push({ path: 'shard.positions', message: `expected one position per host (${hostCount}), got ${info.positions.length}` });
    } else if (info.positions.some((p) => p < 0 || p >= info.fleetHosts)) {
      issues.push({ path: 'shard.positions', message: `expected positions from 0 to ${info.fleetHosts - 1}` });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues.map((i) => ({ file, path: i.path, message: i.message, hint: 'the shard field is written by `sockaudit audit --shard K/N`' })));
  return info;
}
