// Full probe outputs captured from REAL systemd hosts (systemd-nspawn, Debian 11/12/13 =
// systemd 247/252/257), nonce FIXTURENONCE: test/fixtures/probe/systemd-VERSION/SCENARIO.txt.
// The lab units and their expected states are described in test/fixtures/probe/README.md.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { HostSnapshot, SocketState } from '../../src/model/types.js';
import { parseListUnits, parseProbeOutput } from '../../src/probes/parse-probe.js';
import { splitSections } from '../../src/probes/sections.js';

const NONCE = 'FIXTURENONCE';
const root = fileURLToPath(new URL('../fixtures/probe/', import.meta.url));
const versions = [247, 252, 257];

interface Capture {
  version: number;
  scenario: string;
  file: string;
  text: string;
}
const captures: Capture[] = [];
for (const version of versions) {
  const dir = join(root, `systemd-${version}`);
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.txt')).sort()) {
    captures.push({ version, scenario: f.replace(/\.txt$/, ''), file: `systemd-${version}/${f}`, text: readFileSync(join(dir, f), 'utf8') });
  }
}

function snapshotOf(c: Capture): HostSnapshot {
  const r = parseProbeOutput(c.text, NONCE, { exitCode: 0, stderr: '' });
  if (!r.ok) throw new Error(`${c.file}: ${r.reason}: ${r.detail}`);
  return r.snapshot;
}

function socket(s: HostSnapshot, unit: string): SocketState {
  const found = s.sockets.find((x) => x.unit === unit);
  if (found === undefined) throw new Error(`${unit} not in snapshot (have ${s.sockets.map((x) => x.unit).join(', ')})`);
  return found;
}

/** Compact view of a socket for table assertions. */
function view(s: SocketState) {
  return {
    state: `${s.load}/${s.active}/${s.sub}`,
    result: s.result,
    listen: s.listen.map((l) => `${l.address} (${l.type})`),
    triggers: s.triggers,
    accept: s.accept,
  };
}

function service(s: HostSnapshot, unit: string) {
  const v = s.services[unit];
  if (v === undefined) throw new Error(`service ${unit} not in snapshot`);
  return { state: `${v.load}/${v.active}/${v.sub}`, result: v.result, loadError: v.loadError };
}

const byScenario = (name: string) => captures.filter((c) => c.scenario === name || c.scenario === `${name}.nonroot`);

describe.runIf(captures.length > 0)('real probe captures', () => {
  it('cover systemd 247, 252 and 257 with the failures, healthy and odd scenarios', () => {
    expect(new Set(captures.map((c) => c.version))).toEqual(new Set(versions));
    for (const v of versions) {
      for (const s of ['failures', 'healthy']) expect(captures.some((c) => c.version === v && c.scenario === s), `${v} ${s}`).toBe(true);
    }
  });

  describe.each(captures)('$file', (c) => {
    const s = snapshotOf(c);

    it('parses to a snapshot of the right version, without warnings', () => {
      expect(s.systemdVersion).toBe(c.version);
      expect(s.systemdVersionText).toMatch(new RegExp(`^systemd ${c.version} \\(${c.version}\\.`));
      expect(['running', 'degraded']).toContain(s.systemState);
      expect(s.warnings).toEqual([]);
    });

    it('has every socket list-units printed, sorted by unit name, and every triggered unit', () => {
      const split = splitSections(c.text, NONCE);
      const listed = parseListUnits(split.ok ? (split.sections.get('units')?.content ?? '') : '').entries;
      expect(listed.length).toBeGreaterThan(3);
      for (const u of listed) expect(s.sockets.some((x) => x.unit === u.unit), u.unit).toBe(true);
      const units = s.sockets.map((x) => x.unit);
      expect(units).toEqual([...units].sort());
      for (const x of s.sockets) for (const t of x.triggers) expect(s.services[t], `${x.unit} → ${t}`).toBeDefined();
    });

    it('reads NRefused as a number (239+) and timestamps as ISO UTC', () => {
      for (const x of s.sockets) {
        expect(typeof x.nRefused, x.unit).toBe('number');
        if (x.stateChangedAt !== null) expect(x.stateChangedAt).toMatch(/^2\d{3}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
      }
      // Sockets that were started have a state change; journald's socket always is.
      expect(socket(s, 'systemd-journald.socket').stateChangedAt).not.toBeNull();
    });

    it('never throws and never yields a snapshot when cut short', () => {
      const step = Math.max(1, Math.floor(c.text.length / 200));
      for (let cut = 0; cut < c.text.length - 1; cut += step) {
        const r = parseProbeOutput(c.text.slice(0, cut), NONCE);
        expect(r.ok, `cut at ${cut}`).toBe(false);
      }
    });
  });

  describe.each(byScenario('failures'))('failures: $file', (c) => {
    const s = snapshotOf(c);

    it('the socket whose port is taken: failed, Result=resources', () => {
      expect(view(socket(s, 'lab-conflict.socket'))).toEqual({
        state: 'loaded/failed/failed',
        result: 'resources',
        listen: ['[::]:7010 (Stream)'],
        triggers: ['lab-conflict.service'],
        accept: false,
      });
      expect(service(s, 'lab-conflict.service')).toEqual({ state: 'loaded/inactive/dead', result: 'success', loadError: null });
    });

    it('the socket whose service crash-loops: service-start-limit-hit; the service failed with exit-code 3', () => {
      expect(view(socket(s, 'lab-crash.socket'))).toMatchObject({ state: 'loaded/failed/failed', result: 'service-start-limit-hit' });
      expect(service(s, 'lab-crash.service')).toEqual({ state: 'loaded/failed/failed', result: 'exit-code', loadError: null });
      const svc = s.services['lab-crash.service'];
      expect([svc?.execMainCode, svc?.execMainStatus]).toEqual([1, 3]);
      expect(svc?.stateChangedAt).not.toBeNull();
    });

    it('the trigger-limit socket: trigger-limit-hit with NRefused=1', () => {
      const t = socket(s, 'lab-trigger.socket');
      expect(view(t)).toEqual({
        state: 'loaded/failed/failed',
        result: 'trigger-limit-hit',
        listen: ['[::]:7030 (Stream)'],
        triggers: ['lab-trigger.service'],
        accept: false,
      });
      expect(t.nRefused).toBe(1);
      expect(t.stateChangedAt).not.toBeNull();
    });

    it('the orphan socket looks fine itself (inactive/dead, success) but triggers a not-found service', () => {
      const o = socket(s, 'lab-orphan.socket');
      expect(view(o)).toEqual({
        state: 'loaded/inactive/dead',
        result: 'success',
        listen: ['[::]:7040 (Stream)'],
        triggers: ['lab-orphan.service'],
        accept: false,
      });
      expect(o.stateChangedAt).toBeNull();
      expect(service(s, 'lab-orphan.service')).toEqual({
        state: 'not-found/inactive/dead',
        result: 'success',
        loadError: 'Unit lab-orphan.service not found.',
      });
    });

    it('is-system-running says degraded', () => {
      expect(s.systemState).toBe('degraded');
    });

    it('counters NAccepted/NConnections/NRefused as in the README table', () => {
      const n = (u: string) => {
        const x = socket(s, u);
        return [x.nAccepted, x.nConnections, x.nRefused];
      };
      expect(n('lab-conflict.socket')).toEqual([0, 0, 0]);
      expect(n('lab-crash.socket')).toEqual([0, 0, 0]);
      expect(n('lab-trigger.socket')).toEqual([0, 0, 1]);
      expect(n('lab-orphan.socket')).toEqual([0, 0, 0]);
      expect(socket(s, 'lab-conflict.socket').unitFileState).toBe('disabled');
      expect(service(s, 'lab-trigger.service')).toEqual({ state: 'loaded/inactive/dead', result: 'success', loadError: null });
    });
  });

  describe.each(versions.filter((v) => captures.some((c) => c.version === v && c.scenario === 'failures.nonroot')))(
    'failures as a non-root user on %i',
    (version) => {
      it('gives the same snapshot as root (list-*/show need no privileges)', () => {
        const get = (scenario: string) => {
          const c = captures.find((x) => x.version === version && x.scenario === scenario);
          if (c === undefined) throw new Error(`no ${scenario} capture for ${version}`);
          return snapshotOf(c);
        };
        expect(get('failures.nonroot')).toEqual(get('failures'));
      });
    },
  );

  describe.each(byScenario('healthy'))('healthy: $file', (c) => {
    const s = snapshotOf(c);

    it('no socket is failed and the system is running', () => {
      expect(s.sockets.filter((x) => x.active === 'failed')).toEqual([]);
      expect(s.systemState).toBe('running');
    });

    it('Accept=yes with two live connections: 2/2/0, one running instance per connection in Triggers=', () => {
      const acc = socket(s, 'lab-acc.socket');
      expect(view(acc)).toMatchObject({ state: 'loaded/active/listening', result: 'success', listen: ['[::]:7050 (Stream)'], accept: true });
      expect([acc.nAccepted, acc.nConnections, acc.nRefused]).toEqual([2, 2, 0]);
      // Instance names carry the ephemeral client port; Triggers= is sorted by the parser.
      expect(acc.triggers.map((t) => t.replace(/:\d+\.service$/, ':PORT.service'))).toEqual([
        'lab-acc@0-127.0.0.1:7050-127.0.0.1:PORT.service',
        'lab-acc@1-127.0.0.1:7050-127.0.0.1:PORT.service',
      ]);
      for (const t of acc.triggers) expect(service(s, t)).toEqual({ state: 'loaded/active/running', result: 'success', loadError: null });
    });

    it('MaxConnections=1 refusals show in NRefused (1/1/2)', () => {
      const max = socket(s, 'lab-max.socket');
      expect(view(max)).toMatchObject({ state: 'loaded/active/listening', result: 'success', listen: ['[::]:7051 (Stream)'], accept: true });
      expect([max.nAccepted, max.nConnections, max.nRefused]).toEqual([1, 1, 2]);
      expect(max.triggers).toHaveLength(1);
      expect(max.triggers[0]).toMatch(/^lab-max@0-127\.0\.0\.1:7051-127\.0\.0\.1:\d+\.service$/);
      expect(service(s, max.triggers[0] ?? '').state).toBe('loaded/active/running');
    });

    it('an alias listed by list-unit-files (lab-www.socket) does not duplicate lab-web.socket', () => {
      expect(c.text.match(/^Id=lab-web\.socket$/gm)).toHaveLength(2);
      expect(s.sockets.filter((x) => x.unit === 'lab-web.socket')).toHaveLength(1);
      expect(s.sockets.some((x) => x.unit === 'lab-www.socket')).toBe(false);
    });

    it('an Accept=no socket whose service runs is active/running; an idle one is listening', () => {
      expect(view(socket(s, 'lab-proxy.socket'))).toMatchObject({ state: 'loaded/active/running', triggers: ['lab-proxy.service'] });
      expect(service(s, 'lab-proxy.service').state).toBe('loaded/active/running');
      expect(view(socket(s, 'lab-web.socket'))).toMatchObject({ state: 'loaded/active/listening', listen: ['[::]:8080 (Stream)'] });
      expect(service(s, 'lab-web.service').state).toBe('loaded/inactive/dead');
    });
  });

  describe.each(captures)('distribution sockets: $file', (c) => {
    const s = snapshotOf(c);

    it('ssh.socket: Accept=yes with empty Triggers on 247, Accept=no triggering ssh.service later', () => {
      const ssh = socket(s, 'ssh.socket');
      expect(view(ssh)).toMatchObject({ state: 'loaded/inactive/dead', listen: ['[::]:22 (Stream)'] });
      expect(ssh.unitFileState).toBe('disabled');
      if (c.version === 247) expect([ssh.accept, ssh.triggers]).toEqual([true, []]);
      else expect([ssh.accept, ssh.triggers]).toEqual([false, ['ssh.service']]);
    });

    it('syslog.socket triggers a not-found syslog.service; dbus.socket runs', () => {
      expect(socket(s, 'syslog.socket').triggers).toEqual(['syslog.service']);
      expect(service(s, 'syslog.service')).toEqual({
        state: 'not-found/inactive/dead',
        result: 'success',
        loadError: 'Unit syslog.service not found.',
      });
      expect(view(socket(s, 'dbus.socket'))).toMatchObject({ state: 'loaded/active/running', listen: ['/run/dbus/system_bus_socket (Stream)'] });
      expect(socket(s, 'systemd-initctl.socket').listen).toEqual([{ type: 'FIFO', address: '/run/initctl' }]);
    });

    it.runIf(c.version >= 252)('252+: udevd sockets are not-found, without Listen or Triggers', () => {
      for (const u of ['systemd-udevd-control.socket', 'systemd-udevd-kernel.socket']) {
        const x = socket(s, u);
        expect(view(x)).toEqual({ state: 'not-found/inactive/dead', result: 'success', listen: [], triggers: [], accept: false });
        expect(x.loadError).toBe(`Unit ${u} not found.`);
        expect([x.fragmentPath, x.unitFileState]).toEqual([null, null]);
      }
    });

    it.runIf(c.version >= 257)('257: generator-made and varlink sockets', () => {
      const gen = socket(s, 'sshd-unix-local.socket');
      expect(view(gen)).toEqual({
        state: 'loaded/active/listening',
        result: 'success',
        listen: ['/run/ssh-unix-local/socket (Stream)'],
        triggers: [],
        accept: true,
      });
      expect([gen.unitFileState, gen.fragmentPath]).toEqual(['generated', '/run/systemd/generator/sshd-unix-local.socket']);
      expect(view(socket(s, 'systemd-sysext.socket'))).toMatchObject({ state: 'loaded/active/listening', accept: true, triggers: [] });
      expect(socket(s, 'systemd-sysext.socket').unitFileState).toBe('disabled');
      expect(view(socket(s, 'systemd-hostnamed.socket'))).toMatchObject({ state: 'loaded/active/listening', accept: false });
      expect(view(socket(s, 'systemd-pcrlock.socket'))).toMatchObject({ state: 'loaded/inactive/dead', accept: true });
    });
  });

  describe.each(byScenario('odd'))('odd: $file', (c) => {
    const s = snapshotOf(c);

    it('bad-setting and masked sockets: no Listen, LoadError message kept', () => {
      expect(view(socket(s, 'lab-badport.socket'))).toMatchObject({ state: 'bad-setting/inactive/dead', listen: [] });
      expect(socket(s, 'lab-badport.socket').loadError).toBe('Unit lab-badport.socket has a bad unit file setting.');
      expect(view(socket(s, 'lab-broken.socket'))).toMatchObject({ state: 'bad-setting/inactive/dead', listen: [] });
      expect(socket(s, 'lab-broken.socket').loadError).toBe('Unit lab-broken.socket has a bad unit file setting.');
      expect(view(socket(s, 'lab-masked.socket'))).toMatchObject({ state: 'masked/inactive/dead', listen: [], triggers: [] });
      expect(socket(s, 'lab-masked.socket').loadError).toBe('Unit lab-masked.socket is masked.');
      expect(socket(s, 'lab-masked.socket').unitFileState).toBe('masked');
    });

    it('a socket nothing loaded is found through list-unit-files (show loads it: loaded/inactive/dead)', () => {
      const split = splitSections(c.text, NONCE);
      expect(split.ok && split.sections.get('units')?.content).not.toMatch(/lab-dormant/);
      expect(view(socket(s, 'lab-dormant.socket'))).toEqual({
        state: 'loaded/inactive/dead',
        result: 'success',
        listen: ['[::]:7090 (Stream)'],
        triggers: ['lab-dormant.service'],
        accept: false,
      });
      expect(socket(s, 'lab-dormant.socket').unitFileState).toBe('disabled');
    });

    it('every lab service is loaded/inactive/dead with Result success', () => {
      const lab = Object.values(s.services).filter((v) => v.unit.startsWith('lab'));
      expect(lab.length).toBe(8);
      for (const v of lab) expect([v.unit, v.load, v.active, v.sub, v.result]).toEqual([v.unit, 'loaded', 'inactive', 'dead', 'success']);
    });

    it('several Listen= lines of different types keep their order', () => {
      expect(socket(s, 'lab-multi.socket').listen).toEqual([
        { type: 'Stream', address: '[::]:7080' },
        { type: 'Datagram', address: '[::]:7080' },
        { type: 'Stream', address: '/run/lab-multi.sock' },
        { type: 'SequentialPacket', address: '@lab-multi-abstract' },
        { type: 'FIFO', address: '/run/lab-multi.fifo' },
      ]);
      expect(socket(s, 'lab-v6.socket').listen).toEqual([
        { type: 'Stream', address: '[::1]:7070' },
        { type: 'Datagram', address: '[::]:7071' },
      ]);
      expect(socket(s, 'lab-udp.socket').listen).toEqual([{ type: 'Datagram', address: '[::]:7060' }]);
    });

    it('escaped unit names stay canonical; quoted Triggers (246+) and C-escaped paths (240+) are decoded', () => {
      const tpl = socket(s, 'lab-tpl@inst\\x2d2.socket');
      expect(tpl.triggers).toEqual(['lab-tpl@inst\\x2d2.service']);
      expect(tpl.listen).toEqual([{ type: 'Stream', address: '/run/lab-tpl-inst\\x2d2.sock' }]);
      expect(tpl.description).toBe('Lab template socket inst\\x2d2 — Café ☕');
      expect(service(s, 'lab-tpl@inst\\x2d2.service').state).toBe('loaded/inactive/dead');
      const esc = socket(s, 'lab\\x2descaped.socket');
      expect(esc.triggers).toEqual(['lab\\x2descaped.service']);
      expect(esc.fragmentPath).toBe('/etc/systemd/system/lab\\x2descaped.socket');
    });

    it('descriptions keep UTF-8 and quotes as printed (234+ prints strings raw)', () => {
      expect(socket(s, 'lab-udp.socket').description).toBe('Lab UDP "syslog-ish" socket — Café ☕');
    });
  });
});
