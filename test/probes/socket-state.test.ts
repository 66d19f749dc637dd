import { describe, expect, it } from 'vitest';
import { parseServiceStates } from '../../src/probes/service-state.js';
import { parseSocketStates } from '../../src/probes/socket-state.js';
import { parseSystemctlShow } from '../../src/probes/systemctl-show.js';

// 252: Socket-interface properties come before Unit-interface ones (vtable order, not -p order).
const show252 = `Accept=no
Listen=/run/lab/lab-stream.sock (Stream)
Listen=[::1]:47002 (Stream)
MaxConnections=64
Result=success
NConnections=0
NAccepted=0
NRefused=1
Id=lab-stream.socket
Names=lab-stream.socket
Triggers=lab-stream.service
Description=Lab stream socket
LoadState=loaded
ActiveState=active
SubState=running
FragmentPath=/etc/systemd/system/lab-stream.socket
UnitFileState=enabled
StateChangeTimestamp=Sat 2026-11-28 07:59:43 UTC
InactiveExitTimestamp=Sat 2026-11-28 07:59:43 UTC
ActiveEnterTimestamp=Sat 2026-11-28 07:59:43 UTC
ActiveExitTimestamp=
InactiveEnterTimestamp=
LoadError=

Accept=yes
Listen=/run/lab/lab-tpl-inst\\\\x2d2.sock (Stream)
Result=success
NConnections=2
NAccepted=3
NRefused=0
Id=lab-tpl@inst\\x2d2.socket
Names=lab-tpl@inst\\x2d2.socket
Triggers="lab-tpl@inst\\\\x2d2-0-1.service" lab-echo@1-127.0.0.1:47003-127.0.0.1:52950.service
Description=Lab template instance
LoadState=loaded
ActiveState=active
SubState=listening
StateChangeTimestamp=Sat 2026-11-28 07:59:44 UTC
LoadError=

Listen=kobject-uevent 1 (Netlink)
Id=ghost.socket
Names=ghost.socket
Description=ghost.socket
LoadState=not-found
ActiveState=inactive
SubState=dead
Result=success
Accept=no
NConnections=0
NAccepted=0
NRefused=0
FragmentPath=
UnitFileState=
StateChangeTimestamp=
LoadError=org.freedesktop.systemd1.NoSuchUnit "Unit ghost.socket not found."
`;

// 219 (CentOS 7): ListenStream=… keys, \\xNN-escaped strings, no NRefused, no StateChangeTimestamp,
// the pre-229 Result name.
const show219 = `Id=lab-tpl@inst\\x5cx2d2.socket
Names=lab-tpl@inst\\x5cx2d2.socket
Triggers=lab-tpl@inst\\x5cx2d2.service
Description=Caf\\xc3\\xa9 socket
LoadState=loaded
ActiveState=failed
SubState=failed
FragmentPath=/etc/systemd/system/lab-tpl@.socket
UnitFileState=static
InactiveExitTimestamp=Thu 2024-01-04 10:00:00 UTC
ActiveEnterTimestamp=Thu 2024-01-04 10:00:00 UTC
ActiveExitTimestamp=Thu 2024-01-04 10:05:00 UTC
InactiveEnterTimestamp=Thu 2024-01-04 10:05:01 UTC
ListenStream=/run/lab/x.sock
ListenStream=[::]:22
ListenDatagram=127.0.0.1:514
Accept=no
NConnections=0
NAccepted=0
Result=service-failed-permanent
`;

describe('parseSystemctlShow', () => {
  it('splits on blank lines, keeps repeated keys in order, warns about lines without =', () => {
    const r = parseSystemctlShow('Id=a.socket\nListen=x (Stream)\nListen=y (Datagram)\nnot a property\n\nId=b.socket\n');
    expect(r.blocks.length).toBe(2);
    expect(r.blocks[0]?.entries.filter((e) => e.key === 'Listen').map((e) => e.value)).toEqual(['x (Stream)', 'y (Datagram)']);
    expect(r.warnings).toEqual(['systemctl show line 4 is not Name=value: "not a property"']);
  });

  it('keeps everything after the first = as the value', () => {
    expect(parseSystemctlShow('Description=a=b c\n').blocks[0]?.first.get('Description')).toBe('a=b c');
  });
});

describe('parseSocketStates on 252-style output', () => {
  const r = parseSocketStates(show252, 252);

  it('keys by Id and sorts by unit name', () => {
    expect(r.units.map((s) => s.unit)).toEqual(['ghost.socket', 'lab-stream.socket', 'lab-tpl@inst\\x2d2.socket']);
    expect(r.warnings).toEqual([]);
  });

  it('reads a healthy socket completely', () => {
    expect(r.units[1]).toEqual({
      unit: 'lab-stream.socket',
      description: 'Lab stream socket',
      load: 'loaded',
      active: 'active',
      sub: 'running',
      result: 'success',
      loadError: null,
      fragmentPath: '/etc/systemd/system/lab-stream.socket',
      unitFileState: 'enabled',
      stateChangedAt: '2026-11-28T07:59:43.000Z',
      listen: [
        { type: 'Stream', address: '/run/lab/lab-stream.sock' },
        { type: 'Stream', address: '[::1]:47002' },
      ],
      triggers: ['lab-stream.service'],
      accept: false,
      nAccepted: 0,
      nConnections: 0,
      nRefused: 1,
      maxConnections: 64,
      // Not printed by this sample: unknown, not empty.
      wantedBy: null,
      template: null,
    });
  });

  it('decodes the C-escaped unix path and the quoted Triggers element (246+)', () => {
    const tpl = r.units[2];
    expect(tpl?.listen).toEqual([{ type: 'Stream', address: '/run/lab/lab-tpl-inst\\x2d2.sock' }]);
    // Sorted (systemd prints them in hash order).
    expect(tpl?.triggers).toEqual(['lab-echo@1-127.0.0.1:47003-127.0.0.1:52950.service', 'lab-tpl@inst\\x2d2-0-1.service']);
    expect(tpl?.accept).toBe(true);
    expect([tpl?.nConnections, tpl?.nAccepted]).toEqual([2, 3]);
    // Properties not printed at all are unknown (null), not empty.
    expect([tpl?.fragmentPath, tpl?.unitFileState]).toEqual([null, null]);
  });

  it('a not-found unit: LoadError message kept, empty strings are null, netlink address with a space', () => {
    const ghost = r.units[0];
    expect(ghost?.load).toBe('not-found');
    expect(ghost?.loadError).toBe('Unit ghost.socket not found.');
    expect(ghost?.stateChangedAt).toBeNull();
    expect(ghost?.listen).toEqual([{ type: 'Netlink', address: 'kobject-uevent 1' }]);
    expect(r.names.get('ghost.socket')).toBe('ghost.socket');
  });
});

describe('parseSocketStates on 219-style output', () => {
  const r = parseSocketStates(show219, 219);
  const s = r.units[0];

  it('un-escapes the \\x5c-escaped Id to the canonical escaped unit name', () => {
    expect(s?.unit).toBe('lab-tpl@inst\\x2d2.socket');
    expect(s?.triggers).toEqual(['lab-tpl@inst\\x2d2.service']);
    expect(s?.description).toBe('Café socket');
  });

  it('reads ListenStream=/ListenDatagram= keys in order', () => {
    expect(s?.listen).toEqual([
      { type: 'Stream', address: '/run/lab/x.sock' },
      { type: 'Stream', address: '[::]:22' },
      { type: 'Datagram', address: '127.0.0.1:514' },
    ]);
  });

  it('NRefused (239+) is null, stateChangedAt falls back to the latest Active/Inactive timestamp', () => {
    expect(s?.nRefused).toBeNull();
    expect(s?.stateChangedAt).toBe('2024-01-04T10:05:01.000Z');
    expect(s?.result).toBe('service-failed-permanent');
    expect(s?.loadError).toBeNull();
  });
});

describe('odd values', () => {
  it('numbers are parsed strictly; [not set] is null; bad booleans are null with a warning', () => {
    const r = parseSocketStates(
      'Id=a.socket\nLoadState=loaded\nActiveState=active\nSubState=listening\nNAccepted=1e3\nNConnections=[not set]\nNRefused= 7\nAccept=maybe\n',
      252,
    );
    const a = r.units[0];
    expect([a?.nAccepted, a?.nConnections, a?.nRefused, a?.accept]).toEqual([null, null, null, null]);
    expect(r.warnings.length).toBe(3);
  });

  it('a block without Id is skipped with a warning; missing states read "unknown", never healthy', () => {
    const r = parseSocketStates('LoadState=loaded\n\nId=b.socket\n', 252);
    expect(r.units.map((u) => [u.unit, u.load, u.active, u.sub])).toEqual([['b.socket', 'unknown', 'unknown', 'unknown']]);
    expect(r.warnings.some((w) => w.includes('without Id='))).toBe(true);
    expect(r.warnings.filter((w) => w.startsWith('b.socket: ')).length).toBe(3);
  });

  it('an alias shown twice under the same Id is kept once', () => {
    const r = parseSocketStates('Id=a.socket\nNames=a.socket b.socket\n\nId=a.socket\nNames=a.socket b.socket\n', 252);
    expect(r.units.length).toBe(1);
    expect(r.names.get('b.socket')).toBe('a.socket');
  });

  it('Listen= without (Type) is kept as type unknown with a warning', () => {
    const r = parseSocketStates('Id=a.socket\nListen=/run/x.sock\n', 252);
    expect(r.units[0]?.listen).toEqual([{ type: 'unknown', address: '/run/x.sock' }]);
    expect(r.warnings.join()).toMatch(/no "\(Type\)" suffix/);
  });
});

describe('parseServiceStates', () => {
  it('reads ExecMain*, NRestarts, and keeps signed exit statuses', () => {
    const r = parseServiceStates(
      `Result=exit-code
NRestarts=5
ExecMainCode=1
ExecMainStatus=-1
Id=lab-crash.service
Description=Lab crash
LoadState=loaded
ActiveState=failed
SubState=failed
StateChangeTimestamp=Sat 2026-11-28 09:29:39 UTC
LoadError=

Id=lab-orphan.service
Description=lab-orphan.service
LoadState=not-found
ActiveState=inactive
SubState=dead
Result=success
LoadError=org.freedesktop.systemd1.NoSuchUnit "Unit lab-orphan.service not found."
`,
      252,
    );
    expect(r.units.map((u) => [u.unit, u.active, u.result, u.execMainCode, u.execMainStatus, u.nRestarts, u.loadError])).toEqual([
      ['lab-crash.service', 'failed', 'exit-code', 1, -1, 5, null],
      ['lab-orphan.service', 'inactive', 'success', null, null, null, 'Unit lab-orphan.service not found.'],
    ]);
  });
});
