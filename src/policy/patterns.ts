// Which hosts and units a waiver or a requirement is about: host-name globs or `@group`
// (membership as the inventory says, carried by every host of a report), unit-name globs.
import { globToRegExp } from '../inventory/glob.js';

const compiled = new Map<string, RegExp>();

function regexpOf(pattern: string): RegExp {
  let regexp = compiled.get(pattern);
  if (regexp === undefined) {
    regexp = globToRegExp(pattern);
    compiled.set(pattern, regexp);
  }
  return regexp;
}

export interface HostIdentity {
  name: string;
  groups: readonly string[];
}

/** True when any pattern matches: `@web` by group, anything else as a glob on the name. */
export function hostMatches(patterns: readonly string[], host: HostIdentity): boolean {
  return patterns.some((pattern) => (pattern.startsWith('@') ? host.groups.includes(pattern.slice(1)) : regexpOf(pattern).test(host.name)));
}

export function unitMatches(patterns: readonly string[], unit: string): boolean {
  return patterns.some((pattern) => regexpOf(pattern).test(unit));
}
