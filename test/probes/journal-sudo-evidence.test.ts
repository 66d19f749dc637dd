// The parser's side of journal_sudo: sudo's words in the journal-access section decide between
// sudo-required, unavailable and journalctl's own verdict; the host stays audited throughout.
import { describe, expect, it } from 'vitest';
import { parseProbeOutput } from '../../src/probes/parse-probe.js';
import { frame, probeOutput } from './probe-output.js';

const NONCE = 'SUDOPARSENONCE';
const plan = { content: 'lab-stream.socket\t1795852000\tlab-stream.socket\tlab-stream.service\n' };

function parse(access: { content: string; rc?: number; stderr?: string }, extra: Record<string, { content: string; rc?: number; stderr?: string }> = {}) {
  const evidence = { templates: { content: '' }, 'journal-plan': plan, 'journal-access': access, ...extra };
  const r = parseProbeOutput(probeOutput(NONCE) + frame(NONCE, Object.entries(evidence).map(([name, section]) => ({ name, ...section }))), NONCE);
  if (!r.ok) throw new Error(r.detail);
  return r.snapshot;
}

describe('journal access read through sudo -n', () => {
  it('a password wanted: sudo-required with sudo words and the journalctl it was asked to run; every planned excerpt says why it is empty', () => {
    const s = parse({ content: 'journalctl=yes\nsudo=yes /usr/bin/journalctl\n', rc: 1, stderr: 'sudo: a password is required\n' });
    expect(s.journalAccess).toBe('sudo-required');
    expect(s.journalAccessDetail).toBe('sudo: a password is required (sudo -n /usr/bin/journalctl)');
    expect(s.journal).toEqual([
      { socket: 'lab-stream.socket', units: ['lab-stream.socket', 'lab-stream.service'], since: '2026-11-28T07:46:40.000Z', entries: [], skippedLines: 0, truncated: false, error: 'journal not read: sudo needs a password (sudo -n)' },
    ]);
    expect(s.sockets.map((x) => x.unit)).toEqual(['lab-stream.socket']);
  });

  it('sudo missing: unavailable, saying so, with no excerpt', () => {
    const s = parse({ content: 'journalctl=yes\nsudo=no\n', rc: 127 });
    expect(s.journalAccess).toBe('unavailable');
    expect(s.journalAccessDetail).toMatch(/^sudo is not installed/);
    expect(s.journal).toEqual([]);
  });

  it("sudo's host-name warning is no refusal: journalctl's own verdict stands, in journalctl's words", () => {
    const warning = 'sudo: unable to resolve host web-1: Name or service not known\n';
    expect(parse({ content: 'journalctl=yes\nsudo=yes /usr/bin/journalctl\n', rc: 0, stderr: warning }).journalAccess).toBe('full');
    const failing = parse(
      { content: 'journalctl=yes\nsudo=yes /usr/bin/journalctl\n', rc: 1, stderr: `${warning}Failed to open journal: Bad message\n` },
      { 'journal:lab-stream.socket': { content: '', rc: 1, stderr: `${warning}Failed to open journal: Bad message\n` } },
    );
    expect(failing.journalAccess).toBe('unavailable');
    expect(failing.journalAccessDetail).toBe('journalctl exited with 1: Failed to open journal: Bad message');
    expect(failing.journal[0]?.error).toBe('exit 1: Failed to open journal: Bad message');
  });

  it('a root login (sudo=root) and an older probe (no sudo= line) read as before', () => {
    expect(parse({ content: 'journalctl=yes\nsudo=root\n', rc: 0 }).journalAccess).toBe('full');
    expect(parse({ content: 'journalctl=yes\n', rc: 1, stderr: 'sudo: a password is required\n' }).journalAccess).toBe('unavailable');
  });

  it('nothing planned and sudo refusing: sudo-required all the same (the early warning); allowed: not-needed', () => {
    const refused = parse({ content: 'journalctl=yes\nsudo=yes /bin/journalctl\n', rc: 1, stderr: 'sudo: a password is required\n' }, { 'journal-plan': { content: '' } });
    expect(refused.journalAccess).toBe('sudo-required');
    expect(refused.journalAccessDetail).toBe('sudo: a password is required (sudo -n /bin/journalctl)');
    expect(refused.journal).toEqual([]);
    const allowed = parse({ content: 'journalctl=yes\nsudo=yes /bin/journalctl\n', rc: 0 }, { 'journal-plan': { content: '' } });
    expect(allowed.journalAccess).toBe('not-needed');
  });

  it('a journalctl path that is not a plain path is not carried into the detail as one', () => {
    const s = parse({ content: "journalctl=yes\nsudo=yes $(reboot)\n", rc: 1, stderr: 'sudo: a password is required\n' });
    expect(s.journalAccess).toBe('sudo-required');
    expect(s.journalAccessDetail).toBe('sudo: a password is required (sudo -n journalctl)');
  });
});
