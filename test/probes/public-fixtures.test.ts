// Public outputs of systemd versions the lab does not boot (219, 237, 249, ≤239 journal JSON):
// test/fixtures/public/README.md says where each comes from.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseJournalJson } from '../../src/probes/journal-json.js';
import { parseListUnits } from '../../src/probes/list-units.js';
import { parseServiceStates } from '../../src/probes/service-state.js';

const read = (p: string): string => readFileSync(fileURLToPath(new URL(`../fixtures/public/${p}`, import.meta.url)), 'utf8');
const sockets = (text: string) =>
  parseListUnits(text)
    .entries.filter((e) => e.unit.endsWith('.socket'))
    .map((e) => `${e.unit} ${e.load}/${e.active}/${e.sub}`);

describe('systemd 219 (CentOS 7.7, RHEL 7)', () => {
  it('list-units with the legend and the ● column: every row read, glyph and footer skipped', () => {
    const r = parseListUnits(read('systemd-219/list-units.all-types.excerpt.txt'));
    expect(r.warnings).toEqual([]);
    expect(r.entries).toHaveLength(15);
    expect(r.entries.find((e) => e.unit === 'cloud-init.service')).toMatchObject({ load: 'not-found', active: 'inactive', sub: 'dead', description: 'cloud-init.service' });
    expect(sockets(read('systemd-219/list-units.all-types.excerpt.txt'))).toEqual([
      'dbus.socket loaded/active/running',
      'dm-event.socket loaded/active/listening',
      'lvm2-lvmetad.socket loaded/active/running',
      'lvm2-lvmpolld.socket loaded/active/listening',
      'sshd.socket loaded/inactive/dead',
      'syslog.socket loaded/inactive/dead',
      'systemd-initctl.socket loaded/active/listening',
      'systemd-journald.socket loaded/active/running',
      'systemd-shutdownd.socket loaded/active/listening',
      'systemd-udevd-control.socket loaded/active/running',
      'systemd-udevd-kernel.socket loaded/active/running',
    ]);
  });

  it('show of services: ExecStart from a line the sample cut short, no StateChangeTimestamp, EST is not guessed', () => {
    const r = parseServiceStates(read('systemd-219/show-services.excerpt.txt'), 219);
    const pg = r.units.find((s) => s.unit === 'postgresql.service');
    expect(pg?.execStart).toEqual({ path: '/usr/bin/pg_ctl', argv: '/usr/bin/pg_ctl start -D ${PGDATA} -s -o -p ${PGPORT} -w -t 300' });
    // Properties missing from a block are unknown, not "fine".
    expect([pg?.load, pg?.active, pg?.nRestarts]).toEqual(['unknown', 'unknown', null]);
    const tuned = r.units.find((s) => s.unit === 'tuned.service');
    expect(tuned).toMatchObject({ load: 'loaded', active: 'active', sub: 'running', unitFileState: 'enabled', nRestarts: null, execStart: null });
    // EST is ambiguous (TZ=UTC was not in force for this capture): null plus a warning.
    expect(tuned?.stateChangedAt).toBeNull();
    expect(r.warnings).toContain('tuned.service: InactiveExitTimestamp: unknown time zone in "Tue 2019-11-19 23:55:50 EST"');
  });
});

describe('systemd 237 (Ubuntu 18.04)', () => {
  it('list-units whose every line ends in blanks: descriptions trimmed, Accept=yes apport-forward read', () => {
    const text = read('systemd-237/list-units.all-types.excerpt.txt');
    expect(text.split('\n').filter((l) => l.endsWith(' ')).length).toBeGreaterThan(20);
    const r = parseListUnits(text);
    expect(r.warnings).toEqual([]);
    expect(r.entries.find((e) => e.unit === 'apport-forward.socket')).toMatchObject({ sub: 'dead', description: 'Unix socket for apport crash forwarding' });
    expect(sockets(text)).toHaveLength(21);
    expect(r.entries.find((e) => e.unit === 'whoopsie.service')?.load).toBe('not-found');
  });
});

describe('systemd 249 (Ubuntu 22.04)', () => {
  it('show of a service: ExecStart whose argv contains " ; ", [not set] values, quoted list elements', () => {
    const r = parseServiceStates(read('systemd-249/show-service.nginx.excerpt.txt'), 249);
    expect(r.units).toHaveLength(1);
    const nginx = r.units[0];
    expect(nginx).toMatchObject({ unit: 'nginx.service', load: 'loaded', active: 'active', sub: 'running', result: 'success', nRestarts: 0, execMainCode: 0, execMainStatus: 0 });
    expect(nginx?.execStart).toEqual({ path: '/usr/sbin/nginx', argv: '/usr/sbin/nginx -g daemon on; master_process on;' });
    expect(nginx?.stateChangedAt).toBeNull();
    expect(r.warnings.filter((w) => !/unknown time zone in "Wed 2024-02-28 21:22:28 CET"/.test(w))).toEqual([]);
  });
});

describe('journal JSON up to 239', () => {
  it('the spaced layout with --output-fields', () => {
    const r = parseJournalJson(read('journal-json-239-or-older/journal.output-fields.txt'));
    expect(r.skipped).toBe(0);
    expect(r.entries).toEqual([
      { time: '2020-03-04T20:31:39.094Z', unit: '', priority: null, message: '2020/03/04 20:31:39 POST / - 200 OK - ContentLength: 83', pid: 2254, identifier: 'openfaas-fn:nodeinfo' },
    ]);
  });
});
