import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProbeOutput, type ProbeParseResult } from '../../src/probes/parse-probe.js';
import { buildProbe } from '../../src/probes/probe-script.js';
import { bootedMeta, frame, probeOutput } from './probe-output.js';

const N = 'TESTNONCE1';
const fixture = (p: string): string => readFileSync(new URL(p, import.meta.url), 'utf8');

function failure(r: ProbeParseResult): { reason: string; detail: string } {
  if (r.ok) throw new Error(`expected a failure, got a snapshot with ${r.snapshot.sockets.length} sockets`);
  return { reason: r.reason, detail: r.detail };
}

describe('parseProbeOutput: a healthy host', () => {
  it('builds the snapshot', () => {
    const r = parseProbeOutput(probeOutput(N), N);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.snapshot.systemdVersion).toBe(252);
    expect(r.snapshot.systemdVersionText).toBe('systemd 252 (252.39-1~deb12u2)');
    expect(r.snapshot.systemState).toBe('degraded');
    expect(r.snapshot.sockets.map((s) => [s.unit, s.active, s.sub, s.triggers])).toEqual([
      ['lab-stream.socket', 'active', 'running', ['lab-stream.service']],
    ]);
    expect(Object.keys(r.snapshot.services)).toEqual(['lab-stream.service']);
    expect(r.snapshot.services['lab-stream.service']?.stateChangedAt).toBe('2026-11-28T08:00:01.000Z');
    expect(r.snapshot.warnings).toEqual([]);
  });

  it('an empty is-system-running gives systemState null', () => {
    const r = parseProbeOutput(probeOutput(N, { state: { content: '' } }), N);
    expect(r.ok && r.snapshot.systemState).toBeNull();
  });

  it('warns (does not fail) when list-units names a socket that show did not print', () => {
    const units = 'lab-stream.socket loaded active running Lab stream socket\nlab-gone.socket loaded failed failed Gone\n';
    const r = parseProbeOutput(probeOutput(N, { units: { content: units } }), N);
    expect(r.ok && r.snapshot.warnings).toEqual([
      'lab-gone.socket is listed by list-units (loaded/failed/failed) but missing from systemctl show',
    ]);
  });

  it('warns when a triggered unit is missing from show-services, and when show-services failed', () => {
    const r = parseProbeOutput(probeOutput(N, { 'show-services': { content: '', rc: 1, stderr: 'Access denied\n' } }), N);
    expect(r.ok).toBe(true);
    expect(r.ok && r.snapshot.warnings).toEqual([
      'systemctl show-services exited with 1: Access denied; states of triggered units are unknown',
      'lab-stream.socket triggers lab-stream.service, but systemctl show printed nothing for it',
    ]);
  });

  it('ignores a login banner before the first marker but notes it', () => {
    const r = parseProbeOutput(`Last login: yesterday\n${probeOutput(N)}`, N);
    expect(r.ok && r.snapshot.warnings[0]).toMatch(/login banner/);
  });

  it('a unit named __proto__ stays an ordinary key', () => {
    const services = 'Id=__proto__\nLoadState=loaded\nActiveState=active\nSubState=running\n';
    const r = parseProbeOutput(probeOutput(N, { 'show-services': { content: services } }), N);
    expect(r.ok && Object.keys(r.snapshot.services)).toEqual(['__proto__']);
    expect(r.ok && Object.getPrototypeOf(r.snapshot.services)).toBe(Object.prototype);
  });
});

describe('parseProbeOutput: hosts that cannot be audited', () => {
  it.each([
    ['empty stdout', '', { exitCode: 127, stderr: 'sh: 1: sh: not found\n' }, /printed nothing: sh was not found \(exit code 127; stderr: sh: 1: sh: not found\)/],
    ['whitespace only', '\n\n', undefined, /printed nothing/],
    ['the probe could not mktemp', '', { exitCode: 70, stderr: '' }, /printed nothing: it could not create a temporary directory \(exit code 70\)/],
    ['a banner and nothing else', 'This account is currently not available.\n', { exitCode: 1, stderr: '' }, /no "meta" section: stdout starts with "This account/],
    ['markers with another nonce', probeOutput('OTHERNONCE'), undefined, /nonce "OTHERNONCE", not this run's/],
    ['meta without booted=', frame(N, [{ name: 'meta', content: 'pid1=x\n' }]), undefined, /lacks booted=/],
    ['output ending after meta', frame(N, [{ name: 'meta', content: bootedMeta }]), { exitCode: null, stderr: '' }, /missing section\(s\) version, state.*no exit status/],
    ['a truncated last section', probeOutput(N).slice(0, -40), undefined, /truncated: section "show-services"/],
  ])('%s → parse-error', (_label, stdout, context, detail) => {
    const f = failure(parseProbeOutput(stdout, N, context));
    expect(f.reason).toBe('parse-error');
    expect(f.detail).toMatch(detail);
  });

  it('booted=no → no-systemd naming PID 1 (this machine, captured)', () => {
    const f = failure(parseProbeOutput(fixture('../fixtures/probe/local-no-systemd.txt'), 'FIXTURENONCE'));
    expect(f).toEqual({ reason: 'no-systemd', detail: 'PID 1 is "process_api"; /run/systemd/system is missing, so systemd is not PID 1' });
  });

  it('systemctl=no → no-systemd', () => {
    const out = frame(N, [{ name: 'meta', content: 'pid1=init\nbooted=no\nsystemctl=no\n' }]);
    expect(failure(parseProbeOutput(out, N))).toEqual({ reason: 'no-systemd', detail: 'PID 1 is "init"; systemctl is not installed' });
  });

  it('docker-systemctl-replacement (systemctl.py) → no-systemd', () => {
    const out = probeOutput(N, { version: { content: 'systemd 219 - via systemctl.py 1.5.8066\n  - via systemctl.py\n' } });
    expect(failure(parseProbeOutput(out, N)).reason).toBe('no-systemd');
  });

  it('real bytes from this machine with the boot check forced past: "System has not been booted" → no-systemd', () => {
    const out = fixture('fixtures/local-forced-past-boot-check.txt').replace('booted=no', 'booted=yes');
    const f = failure(parseProbeOutput(out, 'FIXTURENONCE'));
    expect(f.reason).toBe('no-systemd');
    expect(f.detail).toBe(
      "PID 1 is \"process_api\"; systemctl units: System has not been booted with systemd as init system (PID 1). Can't operate.",
    );
  });

  it.each([
    ['230+', 'Failed to connect to bus: No such file or directory'],
    ['219', 'Failed to get D-Bus connection: Operation not permitted'],
    ['250+', 'Failed to connect to system scope bus via local transport: Permission denied'],
    ['a manager that stops answering', 'Failed to get properties: Connection timed out'],
  ])('%s bus failure → bus-unavailable with the stderr line', (_era, line) => {
    const out = probeOutput(N, {
      state: { content: 'offline\n', rc: 1, stderr: `${line}\n` },
      units: { content: '', rc: 1, stderr: `${line}\n` },
      'show-sockets': { content: '' },
      'show-services': { content: '' },
    });
    expect(failure(parseProbeOutput(out, N))).toEqual({ reason: 'bus-unavailable', detail: `systemctl state: ${line}` });
  });

  it('247 colours its stderr even with SYSTEMD_COLORS=0: the escapes are stripped from the detail', () => {
    const line = '\u001b[0;1;31mFailed to connect to bus: Connection refused\u001b[0m';
    const out = probeOutput(N, { units: { content: '', rc: 1, stderr: `${line}\n` } });
    expect(failure(parseProbeOutput(out, N))).toEqual({
      reason: 'bus-unavailable',
      detail: 'systemctl units: Failed to connect to bus: Connection refused',
    });
  });

  it('219 inside a chroot: rc 0 and no output, "Running in chroot" on stderr → no-systemd', () => {
    const out = probeOutput(N, { units: { content: '', stderr: 'Running in chroot, ignoring request.\n' } });
    expect(failure(parseProbeOutput(out, N)).reason).toBe('no-systemd');
  });

  it('a failed list-units that is not a bus problem → parse-error with its stderr', () => {
    const out = probeOutput(N, { units: { content: '', rc: 1, stderr: "Unknown unit type or load state 'sockets'.\n" } });
    expect(failure(parseProbeOutput(out, N))).toEqual({
      reason: 'parse-error',
      detail: "systemctl units exited with 1: Unknown unit type or load state 'sockets'.",
    });
  });

  it('an unparseable version → parse-error', () => {
    expect(failure(parseProbeOutput(probeOutput(N, { version: { content: 'upstart 1.5\n' } }), N)).detail).toMatch(
      /cannot read the systemd version from "upstart 1.5"/,
    );
  });

  it('empty show output while list-units lists sockets is never "no sockets"', () => {
    const f = failure(parseProbeOutput(probeOutput(N, { 'show-sockets': { content: '' } }), N));
    expect(f).toEqual({ reason: 'parse-error', detail: 'systemctl show printed nothing for 1 listed socket unit(s)' });
  });
});

describe('parseProbeOutput never throws', () => {
  // A small deterministic PRNG so a failure can be reproduced.
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }

  it('on random bytes, random lines and random marker soup', () => {
    const rand = rng(42);
    const pieces = ['@@sockaudit:TESTNONCE1:begin meta\n', '@@sockaudit:TESTNONCE1:end meta rc=0\n', 'booted=yes\n', 'Id=x\n', '\n', '=', '"', '\\', '\u0000', '\u25cf ', 'Listen= ()\n'];
    for (let i = 0; i < 500; i++) {
      let s = '';
      const len = Math.floor(rand() * 400);
      for (let j = 0; j < len; j++) {
        s += rand() < 0.3 ? (pieces[Math.floor(rand() * pieces.length)] ?? '') : String.fromCharCode(Math.floor(rand() * 0x3000));
      }
      expect(() => parseProbeOutput(s, N, { exitCode: null, stderr: s.slice(0, 50) })).not.toThrow();
    }
  });

  it('on every truncation of a full output: each cut that loses data is a failure, never a snapshot', () => {
    const full = probeOutput(N);
    for (let cut = 0; cut < full.length - 1; cut++) {
      const r = parseProbeOutput(full.slice(0, cut), N);
      expect(r.ok, `cut at ${cut}`).toBe(false);
    }
    expect(parseProbeOutput(full.slice(0, -1), N).ok).toBe(true); // only the final newline lost
  });

  it('on every truncation of the captured local outputs', () => {
    for (const text of [fixture('../fixtures/probe/local-no-systemd.txt'), fixture('fixtures/local-forced-past-boot-check.txt')]) {
      for (let cut = 0; cut <= text.length; cut++) expect(() => parseProbeOutput(text.slice(0, cut), 'FIXTURENONCE')).not.toThrow();
    }
  });
});

describe('the probe on this machine', () => {
  it('runs with sh -s and its output parses to a snapshot or a clean no-systemd', () => {
    const probe = buildProbe();
    const run = spawnSync('sh', ['-s'], { input: probe.script, encoding: 'utf8', timeout: 15_000 });
    expect(run.status).toBe(0);
    const r = parseProbeOutput(run.stdout, probe.nonce, { exitCode: run.status, stderr: run.stderr });
    if (existsSync('/run/systemd/system')) {
      expect(r.ok).toBe(true);
    } else {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toBe('no-systemd');
    }
  });
});
