import { describe, expect, it } from 'vitest';
import { parseInventory } from '../../src/inventory/load-inventory.js';
import { formatConfigIssue } from '../../src/model/config-error.js';
import { errorLines, issuesOf, lines, testOptions } from './helpers.js';

function hintsOf(text: string, env: NodeJS.ProcessEnv = {}): (string | undefined)[] {
  return issuesOf(() => parseInventory(text, 'inventory.yaml', testOptions(env))).map((issue) => issue.hint);
}

describe('parseInventory: wrong values', () => {
  it('reports a port that is a word, with file, line, path, expectation and finding', () => {
    const text = lines(
      '# fleet', // 1
      'defaults:', // 2
      '  user: root', // 3
      'hosts:', // 4
      '  - name: web-1', // 5
      '    address: 10.0.0.11', // 6
      '  - name: web-2', // 7
      '    address: 10.0.0.12', // 8
      '  - name: web-3', // 9
      '    address: 10.0.0.13', // 10
      '  - name: web-4', // 11
      '    address: 10.0.0.14', // 12
      '    user: ops', // 13
      '    port: ssh', // 14
    );
    const issues = issuesOf(() => parseInventory(text, 'inventory.yaml', testOptions()));
    expect(issues).toEqual([
      { file: 'inventory.yaml', line: 14, column: 11, path: 'hosts[3].port', message: 'expected an integer 1–65535, got "ssh"' },
    ]);
    expect(formatConfigIssue(issues[0] ?? { message: '' })).toBe('inventory.yaml:14 hosts[3].port: expected an integer 1–65535, got "ssh"');
  });

  it.each([
    ['-1', 'got -1'],
    ['0', 'got 0'],
    ['70000', 'got 70000'],
    ['22.5', 'got 22.5'],
    ['[22]', 'got a list'],
    ['', 'got an empty value'],
  ])('rejects port %s', (value, found) => {
    expect(errorLines(lines('hosts:', '  - name: a', `    port: ${value}`))).toEqual([
      `inventory.yaml:3 hosts[0].port: expected an integer 1–65535, ${found}`,
    ]);
  });

  it('accepts a quoted numeric port', () => {
    expect(parseInventory(lines('hosts:', '  - name: a', '    port: "2222"'), 'i.yaml', testOptions()).hosts[0]?.port).toBe(2222);
  });

  it.each([
    ['user: 1000', 'hosts[0].user: expected a string, got 1000'],
    ['user: ""', 'hosts[0].user: expected a non-empty string, got ""'],
    ['address: "db 1"', 'hosts[0].address: expected a host name or IP address, got "db 1"'],
    ['use_agent: "maybe"', 'hosts[0].use_agent: expected true or false, got "maybe"'],
    ['connect_timeout: 0', 'hosts[0].connect_timeout: expected a duration such as 10 (seconds), "500ms", "10s" or "2m", got 0'],
    ['command_timeout: 10 min', 'hosts[0].command_timeout: expected a duration such as 10 (seconds), "500ms", "10s" or "2m", got "10 min"'],
    ['identity_file: {a: 1}', 'hosts[0].identity_file: expected a path or a list of paths, got a map'],
    ['known_hosts_file: ~other/kh', 'hosts[0].known_hosts_file: cannot expand "~other/kh": only ~ and ~/ (your own home) are expanded'],
    ['passphrase_env: my secret', 'hosts[0].passphrase_env: expected an environment variable name like SOCKAUDIT_KEY_PASSPHRASE, got "my secret"'],
    ['groups: [web, "w b"]', 'hosts[0].groups[1]: expected a group name made of letters, digits, ".", "_" and "-", got "w b"'],
    ['labels: {a: [1]}', 'hosts[0].labels.a: expected a string, number or boolean, got a list'],
    ['labels: [a]', 'hosts[0].labels: expected a map of label names to values, got a list'],
  ])('rejects %s', (line, expected) => {
    expect(errorLines(lines('hosts:', '  - name: a', `    ${line}`))).toEqual([`inventory.yaml:3 ${expected}`]);
  });

  it('hints at true/false for YAML 1.1 booleans and at quoting for numbers', () => {
    expect(hintsOf(lines('hosts:', '  - name: a', '    use_agent: yes'))).toEqual(['YAML 1.2 reads yes as a string; write true or false']);
    expect(hintsOf(lines('hosts:', '  - name: a', '    user: 1000'))).toEqual(['quote it: "1000"']);
  });

  it('refuses ${…} in passphrase_env without expanding the secret into the message', () => {
    const text = lines('hosts:', '  - name: a', '    passphrase_env: ${KEY_PASS}');
    const [issue] = issuesOf(() => parseInventory(text, 'inventory.yaml', testOptions({ KEY_PASS: 'hunter2' })));
    expect(issue?.message).toBe('expected an environment variable name like SOCKAUDIT_KEY_PASSPHRASE, got "${KEY_PASS}"');
    expect(issue?.hint).toContain('give the name of the variable');
    expect(JSON.stringify(issue)).not.toContain('hunter2');
  });

  it('reports malformed ${ references', () => {
    expect(errorLines(lines('hosts:', '  - name: a', '    address: ${HOST')) ).toEqual([
      'inventory.yaml:3 hosts[0].address: unterminated "${" in "${HOST"',
    ]);
    expect(errorLines(lines('hosts:', '  - name: a', '    address: ${1X}'))).toEqual([
      'inventory.yaml:3 hosts[0].address: "${1X}" is not a valid environment variable reference',
    ]);
  });

  it('checks group vars and defaults with the same rules and paths', () => {
    expect(errorLines(lines('defaults:', '  port: 0', 'hosts:', '  - name: a', 'groups:', '  web:', '    vars: {user: [x]}'))).toEqual([
      'inventory.yaml:2 defaults.port: expected an integer 1–65535, got 0',
      'inventory.yaml:7 groups.web.vars.user: expected a string, got a list',
    ]);
  });
});

describe('parseInventory: structure', () => {
  it('requires a name on every host', () => {
    expect(errorLines(lines('hosts:', '  - name: a', '  - address: 10.0.0.2', '    port: 22'))).toEqual([
      'inventory.yaml:3 hosts[1]: missing required key "name"',
    ]);
  });

  it('rejects a host name with spaces and a host written as a bare string', () => {
    expect(errorLines(lines('hosts:', '  - name: web 1', '  - web-2'))).toEqual([
      'inventory.yaml:2 hosts[0].name: expected a host name made of letters, digits, ".", "_" and "-", got "web 1"',
      'inventory.yaml:3 hosts[1]: expected a host (a map with at least name:), got "web-2"',
    ]);
    expect(hintsOf(lines('hosts:', '  - web-2'))).toEqual(['write it as a map:  - name: web-2']);
  });

  it('reports a duplicate host name with both lines', () => {
    expect(errorLines(lines('hosts:', '  - name: web-1', '  - name: web-2', '  - name: web-1'))).toEqual([
      'inventory.yaml:4 hosts[2].name: duplicate host name "web-1", first defined at inventory.yaml:2 (hosts[0])',
    ]);
  });

  it('reports unknown keys with a did-you-mean hint, or where the key belongs', () => {
    const text = lines('defaults:', '  prot: 22', '  name: x', 'hosts:', '  - name: a', '    identityFile: /k', '    colour: red', 'host: []');
    const issues = issuesOf(() => parseInventory(text, 'inventory.yaml', testOptions()));
    expect(issues.map((issue) => [formatConfigIssue({ ...issue, hint: undefined }), issue.hint])).toEqual([
      ['inventory.yaml:2 defaults.prot: unknown key "prot"', 'did you mean "port"?'],
      ['inventory.yaml:3 defaults.name: unknown key "name"', 'only a host (under hosts:) has a name'],
      ['inventory.yaml:6 hosts[0].identityFile: unknown key "identityFile"', 'did you mean "identity_file"?'],
      [
        'inventory.yaml:7 hosts[0].colour: unknown key "colour"',
        'allowed here: name, address, groups, labels, user, port, identity_file, passphrase_env, use_agent, known_hosts_file, connect_timeout, command_timeout, proxy_jump, journal_sudo',
      ],
      ['inventory.yaml:8 host: unknown key "host"', 'did you mean "hosts"?'],
    ]);
  });

  it('reports a group member that is not a host, with the closest name', () => {
    const text = lines('hosts:', '  - name: web-1', 'groups:', '  web:', '    hosts: [web-1, wbe-1, zzz]', '  eu:', '    hosts: [nope]');
    expect(errorLines(text)).toEqual([
      'inventory.yaml:5 groups.web.hosts[1]: no host named "wbe-1" under hosts:',
      'inventory.yaml:5 groups.web.hosts[2]: no host named "zzz" under hosts:',
      'inventory.yaml:7 groups.eu.hosts[0]: no host named "nope" under hosts:',
    ]);
    expect(hintsOf(text)[0]).toBe('did you mean "web-1"?');
  });

  it('accepts groups that are only tags, and declared groups without hosts', () => {
    const inv = parseInventory(lines('hosts:', '  - name: a', '    groups: [tag-only]', 'groups:', '  empty:'), 'i.yaml', testOptions());
    expect(inv.hosts[0]?.groups).toEqual(['tag-only']);
    expect(inv.groups).toEqual(['empty', 'tag-only']);
  });

  it.each([
    ['an empty hosts list', lines('hosts: []'), 'inventory.yaml:1 hosts: the inventory lists no hosts'],
    ['an empty hosts key', lines('defaults: {user: a}', 'hosts:'), 'inventory.yaml:2 hosts: the inventory lists no hosts'],
    ['no hosts key', lines('defaults: {user: a}'), 'inventory.yaml:1: the inventory lists no hosts'],
    ['an empty file', '', 'inventory.yaml: the inventory lists no hosts'],
    ['hosts as a map', lines('hosts:', '  web-1: {}'), 'inventory.yaml:2 hosts: expected a list of hosts, got a map'],
    ['a list at the top', lines('- name: a'), 'inventory.yaml:1: expected a map with defaults:, hosts: and groups:, got a list'],
  ])('reports %s', (_what, text, expected) => {
    expect(errorLines(text)).toEqual([expected]);
  });

  it('reports YAML syntax errors with file:line and the parser message, and nothing else', () => {
    const issues = issuesOf(() => parseInventory(lines('hosts:', '  - name: a', '    port: [22', '  - name: b', '    prot: 1'), 'inv.yaml', testOptions()));
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toMatchObject({ file: 'inv.yaml', line: 4 });
    expect(issues[0]?.message).toMatch(/^YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a \]/);
    expect(issues.some((issue) => issue.message.includes('prot'))).toBe(false);
  });

  it('reports a duplicate YAML key on its own line', () => {
    expect(errorLines(lines('hosts:', '  - name: a', '    port: 22', '    port: 23'))).toEqual([
      'inventory.yaml:4: YAML syntax error: Map keys must be unique',
    ]);
  });

  it('reports several documents in one file', () => {
    expect(errorLines(lines('hosts: [{name: a}]', '---', 'hosts: [{name: b}]'))).toEqual([
      'inventory.yaml:2: the file holds several YAML documents (---); an inventory is one document',
    ]);
  });
});
