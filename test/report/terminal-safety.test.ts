// Text a host chose reaches the terminal as visible escapes, wherever the table shows it: a
// Result= value, a cause title or note read back from a saved report, never raw control or bidi
// characters that could rewrite the screen or reorder what the reader sees.
import { describe, expect, it } from 'vitest';
import { assessFleet } from '../../src/model/assess.js';
import { renderReport } from '../../src/report/render-report.js';
import { audited, makeSocket } from '../helpers/model-factories.js';

const hostile = 'resources\u001b]0;PWNED\u0007\u001b[2J\u202eevil';
const when = { toolVersion: '0.0.0-test', startedAt: new Date('2026-11-28T10:00:00Z'), finishedAt: new Date('2026-11-28T10:00:01Z') };

describe('the terminal table and host-chosen text', () => {
  it('escapes control and bidi characters in Result=, the cause title and the evidence note', () => {
    const report = assessFleet([audited({ name: 'web-1' }, { sockets: [makeSocket({ unit: 'a.socket', active: 'failed', sub: 'failed', result: hostile })] })], when);
    const [finding] = report.findings;
    if (finding === undefined) throw new Error('no finding');
    // As a saved report could say them: the schema checks only that they are strings.
    const tampered = { ...report, findings: [{ ...finding, cause: { ...finding.cause, title: `Title${hostile}` }, evidence: { ...finding.evidence, entries: [], journalAccess: 'full' as const, note: `note${hostile}` } }] };
    const table = renderReport(tampered, 'table', { table: { color: false, width: 200 } });
    // eslint-disable-next-line no-control-regex
    expect(table).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(table).toContain('resources\\x1b]0;PWNED');
    expect(table).toContain('Titleresources\\x1b]0;PWNED');
    expect(table).toContain('\\u202eevil');
  });
});
