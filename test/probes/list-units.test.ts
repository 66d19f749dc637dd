import { describe, expect, it } from 'vitest';
import { parseListUnitFiles, parseListUnits } from '../../src/probes/parse-probe.js';

const row = (unit: string, load: string, active: string, sub: string, description: string) => ({
  unit,
  load,
  active,
  sub,
  job: null,
  description,
});

describe('parseListUnits', () => {
  it('219–231 --plain --no-legend: no glyph, no trailing blanks', () => {
    const text = 'dbus.socket             loaded active running D-Bus System Message Bus Socket\nsshd.socket             loaded active listening OpenSSH Server Socket\n';
    expect(parseListUnits(text)).toEqual({
      entries: [
        row('dbus.socket', 'loaded', 'active', 'running', 'D-Bus System Message Bus Socket'),
        row('sshd.socket', 'loaded', 'active', 'listening', 'OpenSSH Server Socket'),
      ],
      warnings: [],
    });
  });

  it('219–244 with the legend on: header, ● rows, legend and footer lines are skipped', () => {
    const text = [
      '  UNIT              LOAD      ACTIVE SUB       DESCRIPTION',
      '● lab-fail.socket   loaded    failed failed    Lab failing socket',
      '  lab-ok.socket     loaded    active listening Lab ok socket',
      '● ghost.socket      not-found inactive dead    ghost.socket',
      '',
      'LOAD   = Reflects whether the unit definition was properly loaded.',
      'ACTIVE = The high-level unit activation state, i.e. generalization of SUB.',
      'SUB    = The low-level unit activation state, values depend on unit type.',
      '',
      '3 loaded units listed.',
      "To show all installed unit files use 'systemctl list-unit-files'.",
      '',
    ].join('\n');
    const r = parseListUnits(text);
    expect(r.warnings).toEqual([]);
    expect(r.entries.map((e) => [e.unit, e.load, e.active, e.sub])).toEqual([
      ['lab-fail.socket', 'loaded', 'failed', 'failed'],
      ['lab-ok.socket', 'loaded', 'active', 'listening'],
      ['ghost.socket', 'not-found', 'inactive', 'dead'],
    ]);
  });

  it('245.0/245.1: the glyph column is always there, blank with --plain, and the last column is padded', () => {
    const text = '  lab-fail.socket loaded failed failed    Lab failing socket   \n  lab-ok.socket   loaded active listening Lab ok socket        \n';
    const r = parseListUnits(text);
    expect(r.entries).toEqual([
      row('lab-fail.socket', 'loaded', 'failed', 'failed', 'Lab failing socket'),
      row('lab-ok.socket', 'loaded', 'active', 'listening', 'Lab ok socket'),
    ]);
  });

  it('LC_ALL=C glyph `*` and the 255+ legend form', () => {
    const text = [
      '* lab-fail.socket loaded failed failed Lab failing socket',
      '',
      'Legend: LOAD   -> Reflects whether the unit definition was properly loaded.',
      '        ACTIVE -> The high-level unit activation state, i.e. generalization of SUB.',
      '        SUB    -> The low-level unit activation state, values depend on unit type.',
      '',
      '1 loaded units listed.',
    ].join('\n');
    expect(parseListUnits(text).entries).toEqual([row('lab-fail.socket', 'loaded', 'failed', 'failed', 'Lab failing socket')]);
  });

  it('a JOB column: a job-type word before the description column is a job, at it a description word', () => {
    const text = [
      'lab-a.socket loaded active   listening       Lab A',
      'lab-b.socket loaded inactive dead      start Lab B starting',
      'lab-c.socket loaded active   running         start of something',
    ].join('\n');
    const r = parseListUnits(text);
    expect(r.entries.map((e) => [e.unit, e.job, e.description])).toEqual([
      ['lab-a.socket', null, 'Lab A'],
      ['lab-b.socket', 'start', 'Lab B starting'],
      ['lab-c.socket', null, 'start of something'],
    ]);
  });

  it('escaped unit names come through unchanged (canonical form)', () => {
    expect(parseListUnits('lab-tpl@inst\\x2d2.socket loaded active listening Lab template\n').entries[0]?.unit).toBe(
      'lab-tpl@inst\\x2d2.socket',
    );
  });

  it('accepts the 246+ --output=json form', () => {
    const json = '[{"unit":"lab-tpl@inst\\\\x2d2.socket","load":"loaded","active":"active","sub":"listening","description":"Lab"}]';
    expect(parseListUnits(json).entries).toEqual([row('lab-tpl@inst\\x2d2.socket', 'loaded', 'active', 'listening', 'Lab')]);
  });

  it('warns about short lines and never throws', () => {
    const r = parseListUnits('garbage\n\u0000\u00ff oops\n[not json');
    expect(r.entries).toEqual([]);
    expect(r.warnings.length).toBe(3);
  });
});

describe('parseListUnitFiles', () => {
  it('reads UNIT STATE [PRESET] and skips header/footer', () => {
    const text = [
      'UNIT FILE                        STATE    VENDOR PRESET',
      'dbus.socket                      static   -',
      'ssh.socket                       disabled enabled',
      'systemd-journald@.socket         static   -',
      '',
      '3 unit files listed.',
    ].join('\n');
    expect(parseListUnitFiles(text)).toEqual({
      entries: [
        { unit: 'dbus.socket', state: 'static', preset: '-' },
        { unit: 'ssh.socket', state: 'disabled', preset: 'enabled' },
        { unit: 'systemd-journald@.socket', state: 'static', preset: '-' },
      ],
      warnings: [],
    });
  });

  it('219 has no preset column', () => {
    expect(parseListUnitFiles('sshd.socket disabled\n').entries).toEqual([{ unit: 'sshd.socket', state: 'disabled', preset: null }]);
  });
});
