import { describe, expect, it } from 'vitest';
import { parseInventory } from '../../src/inventory/load-inventory.js';
import { selectHosts } from '../../src/inventory/select-hosts.js';
import { globToRegExp } from '../../src/inventory/glob.js';
import { ConfigError, type ConfigIssue } from '../../src/model/config-error.js';
import { issuesOf, lines, testOptions } from './helpers.js';

const inventory = parseInventory(
  lines(
    'hosts:',
    '  - {name: web-1, groups: [web, eu]}',
    '  - {name: web-2, groups: [web]}',
    '  - {name: web-10, groups: [web, us]}',
    '  - {name: db-1, groups: [db, eu]}',
    '  - {name: db-2}',
    '  - {name: cache.a}',
    'groups:',
    '  db:',
    '    hosts: [db-2]',
    '  empty: {}',
  ),
  'inventory.yaml',
  testOptions(),
);

function names(patterns: string[]): string[] {
  return selectHosts(inventory, patterns).map((host) => host.name);
}

function limitIssues(patterns: string[]): ConfigIssue[] {
  return issuesOf(() => selectHosts(inventory, patterns));
}

describe('selectHosts', () => {
  it('selects every host, in inventory order, when there is no pattern', () => {
    expect(names([])).toEqual(['web-1', 'web-2', 'web-10', 'db-1', 'db-2', 'cache.a']);
    expect(names(['', ' , '])).toEqual(['web-1', 'web-2', 'web-10', 'db-1', 'db-2', 'cache.a']);
  });

  it.each([
    [['web-1'], ['web-1']],
    [['web-*'], ['web-1', 'web-2', 'web-10']],
    [['web-?'], ['web-1', 'web-2']],
    [['web-[12]'], ['web-1', 'web-2']],
    [['web-[!1]'], ['web-2']],
    [['*-[0-9][0-9]'], ['web-10']],
    [['cache.*'], ['cache.a']],
    [['cache?a'], ['cache.a']],
    [['@db'], ['db-1', 'db-2']],
    [['@eu'], ['web-1', 'db-1']],
  ])('%j selects %j', (patterns, expected) => {
    expect(names(patterns)).toEqual(expected);
  });

  it('unions patterns and comma lists but keeps inventory order and no duplicates', () => {
    expect(names(['db-2,web-2', '@eu'])).toEqual(['web-1', 'web-2', 'db-1', 'db-2']);
    expect(names(['db-1, db-*'])).toEqual(['db-1', 'db-2']);
  });

  it('excludes with a leading !, by glob or group, whatever the order', () => {
    expect(names(['@web,!web-10'])).toEqual(['web-1', 'web-2']);
    expect(names(['!@web', '@eu'])).toEqual(['db-1']);
    expect(names(['!web-*', '!cache.a'])).toEqual(['db-1', 'db-2']);
  });

  it('does not treat a dot in a name as a regular expression', () => {
    expect(limitIssues(['cacheXa'])[0]?.message).toBe('--limit "cacheXa" matched no host');
  });

  it('fails when a positive pattern matches no host, naming every such pattern', () => {
    const issues = limitIssues(['dbx*,web-1', 'wbe-1', '@dbs', '@empty']);
    expect(issues.map((issue) => issue.message)).toEqual([
      '--limit "dbx*" matched no host',
      '--limit "wbe-1" matched no host',
      '--limit "@dbs" matched no host',
      '--limit "@empty" matched no host',
    ]);
    expect(issues.map((issue) => issue.hint)).toEqual([
      'patterns are host-name globs (*, ?, [a-z]) or @group; names are case-sensitive',
      'did you mean "web-1"?',
      'did you mean "@db"?',
      'group "empty" has no members',
    ]);
  });

  it('throws a ConfigError whose message is the one the CLI prints', () => {
    expect(() => selectHosts(inventory, ['dbx*'])).toThrow(ConfigError);
    expect(() => selectHosts(inventory, ['dbx*'])).toThrow(/^--limit "dbx\*" matched no host\n {2}hint: /);
  });

  it('fails when the patterns leave no host at all', () => {
    expect(limitIssues(['@db,!db-*']).map((issue) => issue.message)).toEqual(['--limit "@db,!db-*" leaves no host to audit']);
    expect(limitIssues(['!*'])).toHaveLength(1);
  });

  it('does not fail for an exclusion that matches nothing', () => {
    expect(names(['@db,!nothing-*'])).toEqual(['db-1', 'db-2']);
  });
});

describe('globToRegExp', () => {
  it.each([
    ['a*', 'abc', true],
    ['a*', 'a', true],
    ['a*', 'xa', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['[a-c]x', 'bx', true],
    ['[a-c]x', 'dx', false],
    ['[^a-c]x', 'dx', true],
    ['[!a-c]x', 'ax', false],
    ['a[', 'a[', true],
    ['a+b', 'a+b', true],
    ['a+b', 'aab', false],
    ['(x)|y', '(x)|y', true],
    ['(x)|y', 'y', false],
  ])('%s on %s is %s', (pattern, name, expected) => {
    expect(globToRegExp(pattern).test(name)).toBe(expected);
  });
});
