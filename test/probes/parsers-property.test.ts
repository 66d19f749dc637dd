// Every parser against arbitrary input: it returns data (or the probe parser's parse-error
// outcome) and never throws or hangs. Inputs are random text and random assemblies of the
// fragments real output is made of (markers, Name=value lines, escapes, JSON pieces), so the
// runs reach deep into the parsers instead of stopping at the first line.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseExecCommand } from '../../src/probes/exec-command.js';
import { parseJournalJson } from '../../src/probes/journal-json.js';
import { parseListUnitFiles, parseListUnits } from '../../src/probes/list-units.js';
import { parseProbeOutput } from '../../src/probes/parse-probe.js';
import { splitSections } from '../../src/probes/sections.js';
import { parseServiceStates } from '../../src/probes/service-state.js';
import { parseSocketStates } from '../../src/probes/socket-state.js';
import { parseSystemctlShow } from '../../src/probes/systemctl-show.js';
import { cUnescape, splitListValue, xUnescape } from '../../src/probes/systemd-escape.js';
import { parseSystemdVersion } from '../../src/probes/systemd-version.js';
import { parseTimestamp } from '../../src/probes/timestamp.js';
import { frame } from './probe-output.js';

const NONCE = 'PROPNONCE';
const runs = { numRuns: 300, interruptAfterTimeLimit: 20_000 };

const fragments = [
  '\n', '\n\n', '\r\n', ' ', '\t', '=', '"', "'", '\\', '\\x5c', '\\x2d', '\\n', '\\\\', '@', ':', '.socket', '.service', '@.service',
  'Id=', 'Names=', 'LoadState=', 'ActiveState=failed', 'SubState=auto-restart', 'Result=resources', 'Triggers=', 'TriggeredBy=',
  'Listen=', 'ListenStream=', ' (Stream)', ' (Datagram)', 'Accept=yes', 'Accept=maybe', 'NRefused=', 'NRefused=18446744073709551615',
  'MaxConnections=64', 'WantedBy=sockets.target', 'ExecStart={ path=/x ; argv[]=/x -y ; ignore_errors=no ; ', ' ; ', '}',
  'StateChangeTimestamp=Sat 2026-11-28 09:39:58 UTC', 'Sat 2026-02-31 99:99:99 IST', '@1795858798', 'LoadError=org.x "', '[unprintable]',
  '● ', '* ', 'loaded ', 'not-found ', 'inactive ', 'dead ', 'start ', 'LOAD   = x', '3 loaded units listed.',
  '{', '}', '[', ']', '":"', '","', '"MESSAGE":', '"UNIT":"a.socket"', '"__REALTIME_TIMESTAMP":"1795858798937812"', '[27,91,255]', 'null',
  '"ERRNO":"98"', '"__proto__":', 'systemd 252 (252.39-1)', 'systemd 219', 'via systemctl.py', '\u0000', '\u001b[0m', 'é', '\ud800', '😀',
];
const tokenText = fc.array(fc.constantFrom(...fragments), { maxLength: 80 }).map((parts) => parts.join(''));
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), tokenText);
// Forged and stray frame lines, for the framing parsers only.
const markers = [`@@sockaudit:${NONCE}:begin meta\n`, `@@sockaudit:${NONCE}:end meta rc=0\n`, `@@sockaudit:${NONCE}:begin journal:a.socket\n`, '@@sockaudit:OTHER:end x rc=1\n', `@@sockaudit:${NONCE}:bogus\n`];
const framedText = fc.array(fc.constantFrom(...fragments, ...markers), { maxLength: 80 }).map((parts) => parts.join(''));
const version = fc.oneof(fc.constantFrom(219, 233, 234, 237, 239, 240, 245, 246, 252, 257), fc.integer({ min: -5, max: 100_000 }));

/** The sections of a complete probe of one failed socket, as the login with `uid` ran it. */
function wellFormedSections(uid: number): Array<{ name: string; content: string }> {
  return [
    { name: 'meta', content: `pid1=systemd\nbooted=yes\nsystemctl=yes\nuid=${uid}\nnow=1\n` },
    { name: 'version', content: 'systemd 252 (252.39-1~deb12u2)\n' },
    { name: 'state', content: 'running\n' },
    { name: 'units', content: 'a.socket loaded failed failed A\n' },
    { name: 'unit-files', content: 'a.socket enabled enabled\n' },
    { name: 'show-sockets', content: 'Id=a.socket\nLoadState=loaded\nActiveState=failed\nSubState=failed\nResult=resources\nTriggers=a.service\n' },
    { name: 'show-services', content: 'Id=a.service\nLoadState=loaded\nActiveState=inactive\nSubState=dead\nResult=success\n' },
    { name: 'templates', content: '' },
  ];
}

describe('parsers never throw on arbitrary input', () => {
  it('splitSections', () => {
    fc.assert(fc.property(fc.oneof(anyText, framedText), (t) => void splitSections(t, NONCE)), runs);
  });
  it('systemctl show, socket and service blocks, any version', () => {
    fc.assert(
      fc.property(anyText, version, (t, v) => {
        expect(parseSystemctlShow(t).blocks).toBeInstanceOf(Array);
        for (const s of parseSocketStates(t, v).units) expect(typeof s.unit).toBe('string');
        for (const s of parseServiceStates(t, v).units) expect(typeof s.unit).toBe('string');
      }),
      runs,
    );
  });
  it('list-units and list-unit-files', () => {
    fc.assert(
      fc.property(anyText, (t) => {
        expect(parseListUnits(t).entries).toBeInstanceOf(Array);
        expect(parseListUnitFiles(t).entries).toBeInstanceOf(Array);
      }),
      runs,
    );
  });
  it('journal JSON: entries always have a string message and unit', () => {
    const jsonish = fc.oneof(anyText, fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 8 }).map((vs) => vs.map((v) => JSON.stringify(v)).join('\n')));
    fc.assert(
      fc.property(jsonish, (t) => {
        for (const e of parseJournalJson(t).entries) {
          expect(typeof e.message).toBe('string');
          expect(typeof e.unit).toBe('string');
        }
      }),
      runs,
    );
  });
  it('escapes, timestamps, version lines, exec commands', () => {
    fc.assert(
      fc.property(anyText, version, (t, v) => {
        cUnescape(t);
        xUnescape(t);
        splitListValue(t, v);
        parseTimestamp(t);
        parseSystemdVersion(t);
        parseExecCommand(t);
      }),
      runs,
    );
  });
});

const sectionNames = ['meta', 'version', 'state', 'units', 'unit-files', 'show-sockets', 'show-services', 'templates', 'journal-plan', 'journal-access', 'journal:a.socket', 'journal-access.stderr', 'bogus'];
const section = fc.record({ name: fc.constantFrom(...sectionNames), content: fc.oneof(anyText, framedText), rc: fc.integer({ min: 0, max: 255 }) });

describe('the whole probe output', () => {
  it('is a snapshot or a failure with a reason, for any framing of any content', () => {
    fc.assert(
      fc.property(fc.array(section, { maxLength: 14 }), fc.boolean(), (sections, withMeta) => {
        const all = withMeta ? [{ name: 'meta', content: 'pid1=systemd\nbooted=yes\nsystemctl=yes\n', rc: 0 }, ...sections] : sections;
        const r = parseProbeOutput(frame(NONCE, all), NONCE, { exitCode: 0, stderr: '' });
        if (r.ok) expect(r.snapshot.journal).toBeInstanceOf(Array);
        else expect(['no-systemd', 'bus-unavailable', 'parse-error']).toContain(r.reason);
      }),
      runs,
    );
  });

  it('a complete, well-formed probe with arbitrary journal sections still parses', () => {
    const base = [...wellFormedSections(0), { name: 'journal-plan', content: 'a.socket\t1795858498\ta.socket\ta.service\n' }];
    fc.assert(
      fc.property(anyText, anyText, fc.integer({ min: 0, max: 255 }), (access, journal, rc) => {
        const r = parseProbeOutput(frame(NONCE, [...base, { name: 'journal-access', content: 'journalctl=yes\n', stderr: access, rc }, { name: 'journal:a.socket', content: journal, rc }]), NONCE);
        expect(r.ok).toBe(true);
        if (r.ok) expect(['full', 'partial', 'none', 'no-journal', 'unavailable']).toContain(r.snapshot.journalAccess);
      }),
      runs,
    );
  });
});

describe('journal access through sudo, from arbitrary words', () => {
  const base = wellFormedSections(1000);
  const sudoWords = fc.oneof(
    anyText,
    fc.constantFrom('sudo: a password is required\n', 'sudo: unable to resolve host x: Name or service not known\n', 'Sorry, user a is not allowed to execute', 'sudo: \n', ''),
  );
  const planned = fc.constantFrom('', 'a.socket\t1795858498\ta.socket\ta.service\n');
  const sudoLine = fc.oneof(fc.constantFrom('sudo=yes /usr/bin/journalctl', 'sudo=no', 'sudo=root', 'sudo=yes', 'sudo='), anyText.map((t) => `sudo=${t}`));

  it('never throws, stays audited, and says sudo-required only when sudo refused in its own words', () => {
    fc.assert(
      fc.property(planned, sudoLine, sudoWords, fc.integer({ min: 0, max: 255 }), (plan, line, words, rc) => {
        const r = parseProbeOutput(
          frame(NONCE, [...base, { name: 'journal-plan', content: plan }, { name: 'journal-access', content: `journalctl=yes\n${line}\n`, stderr: words, rc }]),
          NONCE,
        );
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(['full', 'partial', 'none', 'no-journal', 'unavailable', 'sudo-required', 'not-needed']).toContain(r.snapshot.journalAccess);
        if (r.snapshot.journalAccess === 'sudo-required') {
          expect(rc).not.toBe(0);
          expect(r.snapshot.journalAccessDetail).toMatch(/\(sudo -n \S+\)$/);
        }
        // Nothing planned: only a sudo that said yes (and refused) or no can change "not needed".
        const state = (line.split('\n')[0] ?? '').slice('sudo='.length).split(' ')[0]?.replace(/\r$/, '');
        if (plan === '' && state !== 'yes' && state !== 'no') expect(r.snapshot.journalAccess).toBe('not-needed');
      }),
      runs,
    );
  });
});

// Large degenerate inputs: every parser returns (a hang or catastrophic backtracking ends in
// vitest's timeout); how fast is for bench/, not for an assertion here.
describe('large degenerate inputs', () => {
  const big = ['\\'.repeat(300_000), '"'.repeat(300_000), `Id=${'x'.repeat(300_000)}\nListen=${'('.repeat(100_000)} (Stream)\n`, '{"MESSAGE":['.repeat(20_000), `${'a '.repeat(150_000)}\n`];
  it.each(big.map((t, i) => [i, t]))('input %i (300 kB) is parsed by every parser without throwing', (_i, t) => {
    splitSections(t, NONCE);
    parseSocketStates(t, 252);
    parseServiceStates(t, 219);
    parseListUnits(t);
    parseJournalJson(t);
    splitListValue(t, 252);
    cUnescape(t);
    expect(parseProbeOutput(t, NONCE).ok).toBe(false);
  });
});
