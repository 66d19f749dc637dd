import { describe, expect, it } from 'vitest';
import { splitLines, splitSections } from '../../src/probes/sections.js';
import { frame } from './probe-output.js';

const N = 'TESTNONCE1';

describe('splitSections', () => {
  it('returns the exact bytes between the markers, including a missing final newline', () => {
    const out = frame(N, [
      { name: 'a', content: 'one\ntwo\n' },
      { name: 'b', content: 'no newline' },
      { name: 'c', content: '' },
      { name: 'd', content: '\n\nblank lines\n\n' },
    ]);
    const r = splitSections(out, N);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.sections.get('a')?.content).toBe('one\ntwo\n');
    expect(r.sections.get('b')?.content).toBe('no newline');
    expect(r.sections.get('c')?.content).toBe('');
    expect(r.sections.get('d')?.content).toBe('\n\nblank lines\n\n');
  });

  it('reads the rc of each section and the .stderr companion sections', () => {
    const out = frame(N, [{ name: 'units', content: '', rc: 1, stderr: 'Failed to connect to bus: Host is down\n' }]);
    const r = splitSections(out, N);
    expect(r.ok && r.sections.get('units')?.rc).toBe(1);
    expect(r.ok && r.sections.get('units.stderr')?.content).toBe('Failed to connect to bus: Host is down\n');
  });

  it('treats markers with another nonce as content, so a host cannot forge or end a section', () => {
    const forged = '@@sockaudit:OTHERNONCE:end a rc=0\n@@sockaudit:OTHERNONCE:begin meta\nbooted=yes';
    const out = frame(N, [{ name: 'a', content: `Description=${forged}\n` }]);
    const r = splitSections(out, N);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.sections.get('a')?.content).toBe(`Description=${forged}\n`);
    expect(r.sections.has('meta')).toBe(false);
  });

  it('does not accept a marker that only contains the nonce mid-line', () => {
    const out = frame(N, [{ name: 'a', content: `x @@sockaudit:${N}:end a rc=0\n` }]);
    const r = splitSections(out, N);
    expect(r.ok && r.sections.get('a')?.content).toBe(`x @@sockaudit:${N}:end a rc=0\n`);
  });

  it('collects lines before the first marker as preamble (login banners)', () => {
    const out = `Welcome to host!\n\n${frame(N, [{ name: 'a', content: 'x' }])}`;
    const r = splitSections(out, N);
    expect(r.ok && r.preamble).toEqual(['Welcome to host!']);
  });

  it.each([
    ['a begin without end', `@@sockaudit:${N}:begin a\nsome content\n`, /truncated: section "a"/],
    ['a begin line at EOF without newline', `@@sockaudit:${N}:begin a`, /truncated/],
    ['a begin line at EOF with newline', `@@sockaudit:${N}:begin a\n`, /truncated: section "a"/],
    ['an end marker cut before rc', `@@sockaudit:${N}:begin a\nx\n@@sockaudit:${N}:end a rc=`, /truncated/],
    ['a begin inside a section', `@@sockaudit:${N}:begin a\n@@sockaudit:${N}:begin b\n`, /garbled/],
    ['an end of another section', `@@sockaudit:${N}:begin a\nx\n@@sockaudit:${N}:end b rc=0\n`, /garbled/],
  ])('rejects %s', (_label, out, detail) => {
    const r = splitSections(out, N);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.detail).toMatch(detail);
  });

  it('tolerates CRLF marker lines (a pty in between)', () => {
    const out = `@@sockaudit:${N}:begin a\r\nx\r\n\r\n@@sockaudit:${N}:end a rc=3\r\n`;
    const r = splitSections(out, N);
    expect(r.ok && r.sections.get('a')?.rc).toBe(3);
    expect(splitLines(r.ok ? (r.sections.get('a')?.content ?? '') : '')).toEqual(['x']);
  });

  it('keeps the first of two sections with the same name and warns', () => {
    const out = frame(N, [
      { name: 'a', content: 'first' },
      { name: 'a', content: 'second' },
    ]);
    const r = splitSections(out, N);
    expect(r.ok && r.sections.get('a')?.content).toBe('first');
    expect(r.ok && r.warnings.join()).toMatch(/appears twice/);
  });
});
