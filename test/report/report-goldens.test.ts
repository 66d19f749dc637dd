// Every format rendered from the one rich saved report, compared with its checked-in golden
// under test/fixtures/reports/. Review a golden diff like code; update with
// `npx vitest run -u test/report` (twice when rich-report.json itself changed: the goldens
// read it). The terminal table has its own tests (render-table.test.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readFleetReport } from '../../src/report/read-fleet-report.js';
import { renderReport } from '../../src/report/render-report.js';

const path = new URL('../fixtures/reports/rich-report.json', import.meta.url);
const report = readFleetReport(readFileSync(path, 'utf8'), 'rich-report.json');

describe('golden reports from rich-report.json', () => {
  it.each([
    ['csv', 'csv'],
    ['jsonl', 'jsonl'],
    ['html', 'html'],
    ['junit', 'junit.xml'],
    ['markdown', 'md'],
    ['prometheus', 'prom'],
  ] as const)('%s', async (format, extension) => {
    await expect(renderReport(report, format)).toMatchFileSnapshot(`../fixtures/reports/rich-report.${extension}`);
  });
});
