// test/fixtures/reports/rich-report.json is the saved run every golden test renders. It is
// kept equal to what the model assesses from `richOutcomes`, so it never drifts from the
// real JSON format; regenerate it with the goldens: `npx vitest run -u test/report`.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/report/render-json.js';
import { buildRichReport, hostile } from './rich-report-outcomes.js';

export const richReportPath = new URL('../fixtures/reports/rich-report.json', import.meta.url);

describe('rich-report.json fixture', () => {
  it('is the report assessed from the rich outcomes', async () => {
    await expect(renderJson(buildRichReport())).toMatchFileSnapshot('../fixtures/reports/rich-report.json');
  });

  it('has what the goldens must cover: failed and broken sockets, unknown hosts of several reasons, non-ASCII and hostile text', async () => {
    const text = await readFile(richReportPath, 'utf8');
    const report = buildRichReport();
    expect(report.findings.length).toBeGreaterThanOrEqual(6);
    expect(new Set(report.findings.map((f) => f.result)).size).toBeGreaterThanOrEqual(4);
    expect(report.findings.some((f) => f.triggers.some((t) => t.load === 'not-found'))).toBe(true);
    expect(report.hosts.some((h) => h.sockets.some((s) => s.load === 'bad-setting'))).toBe(true);
    expect(Object.keys(report.summary.unknownByReason).length).toBeGreaterThanOrEqual(4);
    for (const needle of ['Café ☕', '注文', '東京', ...Object.values(hostile)]) expect(text).toContain(JSON.stringify(needle).slice(1, -1));
    expect(text).toMatch(/\\t.*\\n/);
  });
});
