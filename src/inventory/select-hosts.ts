// `--limit` narrows an audit to part of the fleet. A positive pattern that selects nothing is an
// error, not an empty audit: a CI job with a typo in its limit must fail, not pass vacuously.
import { ConfigError, type ConfigIssue } from '../model/config-error.js';
import type { HostTarget } from '../model/types.js';
import { didYouMean } from './did-you-mean.js';
import { globToRegExp, hasGlobSyntax } from './glob.js';
import type { Inventory } from './load-inventory.js';

function matcher(pattern: string): (host: HostTarget) => boolean {
  if (pattern.startsWith('@')) {
    const group = pattern.slice(1);
    return (host) => host.groups.includes(group);
  }
  const regexp = globToRegExp(pattern);
  return (host) => regexp.test(host.name);
}

function noMatchHint(pattern: string, inventory: Inventory): string | undefined {
  if (pattern.startsWith('@')) {
    const group = pattern.slice(1);
    if (inventory.groups.includes(group)) return `group "${group}" has no members`;
    const guess = didYouMean(group, inventory.groups);
    if (guess !== undefined) return `did you mean "@${guess}"?`;
    return inventory.groups.length === 0 ? 'the inventory defines no groups' : `groups: ${inventory.groups.join(', ')}`;
  }
  if (!hasGlobSyntax(pattern)) {
    const guess = didYouMean(pattern, inventory.hosts.map((host) => host.name));
    if (guess !== undefined) return `did you mean "${guess}"?`;
  }
  return 'patterns are host-name globs (*, ?, [a-z]) or @group; names are case-sensitive';
}

/**
 * Hosts selected by `--limit` patterns, in inventory order. Each pattern may hold several,
 * comma-separated: `web-*`, `@group`, and `!pattern` to exclude. With no positive pattern the
 * whole inventory is the starting set. Throws ConfigError when a positive pattern matches no
 * host, or when the patterns together leave no host.
 */
export function selectHosts(inventory: Inventory, patterns: readonly string[]): HostTarget[] {
  const parts = patterns.flatMap((pattern) => pattern.split(',')).map((part) => part.trim()).filter((part) => part !== '');
  const include = parts.filter((part) => !part.startsWith('!'));
  const exclude = parts.filter((part) => part.startsWith('!')).map((part) => part.slice(1).trim()).filter((part) => part !== '');
  if (parts.length === 0) return [...inventory.hosts];

  const issues: ConfigIssue[] = [];
  const included = new Set<HostTarget>();
  for (const pattern of include) {
    const matches = inventory.hosts.filter(matcher(pattern));
    if (matches.length === 0) {
      const issue: ConfigIssue = { message: `--limit ${JSON.stringify(pattern)} matched no host` };
      const hint = noMatchHint(pattern, inventory);
      if (hint !== undefined) issue.hint = hint;
      issues.push(issue);
    }
    for (const host of matches) included.add(host);
  }
  if (issues.length > 0) throw new ConfigError(issues);

  const excluded = exclude.map(matcher);
  const selected = inventory.hosts.filter(
    (host) => (include.length === 0 || included.has(host)) && !excluded.some((matches) => matches(host)),
  );
  if (selected.length === 0) {
    throw new ConfigError({
      message: `--limit ${JSON.stringify(parts.join(','))} leaves no host to audit`,
      hint: 'every host matched by the patterns is excluded again by a !pattern',
    });
  }
  return selected;
}
