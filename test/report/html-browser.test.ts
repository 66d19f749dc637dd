// The HTML report in a real browser: Debian's headless Chromium driven by playwright-core
// (no browser download). It must load with no console error, no request beyond the file
// itself, work without JavaScript, filter and sort with it, and keep every hostile string a
// host sent as inert, visible text. CI installs chromium (`apt-get install -y chromium`);
// when it is missing this test FAILS on purpose instead of skipping.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetReport } from '../../src/model/types.js';
import { readFleetReport } from '../../src/report/read-fleet-report.js';
import { renderHtml } from '../../src/report/render-html.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { hostile } from './rich-report-outcomes.js';

const executablePath = process.env.SOCKAUDIT_CHROMIUM ?? '/usr/bin/chromium';
const screenshotDir = new URL('../../.ci-results/', import.meta.url);
const docsScreenshot = new URL('../../docs/report-screenshot.png', import.meta.url);

let browser: Browser;
let dir: TempDir;
let reportUrl: string;
let report: FleetReport;

/** Why the browser could not start; every test then fails with it (counted as failures, not skips). */
let launchError: Error | undefined;

beforeAll(async () => {
  try {
    if (!existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath}: install it with \`apt-get install -y chromium\` (or set SOCKAUDIT_CHROMIUM)`);
    browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (error) {
    launchError = error as Error;
  }
  dir = await makeTempDir();
  report = readFleetReport(await readFile(new URL('../fixtures/reports/rich-report.json', import.meta.url), 'utf8'), 'rich-report.json');
  const file = dir.file('audit.html');
  await writeFile(file, renderHtml(report));
  reportUrl = pathToFileURL(file).href;
}, 60_000);

afterAll(async () => {
  if (launchError === undefined) await browser.close();
  await dir?.remove();
});

interface Watched {
  page: Page;
  problems: string[];
  requests: string[];
  dialogs: string[];
}

async function open(javaScriptEnabled = true): Promise<Watched> {
  if (launchError !== undefined) throw launchError;
  const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const watched: Watched = { page, problems: [], requests: [], dialogs: [] };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') watched.problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => watched.problems.push(`page error: ${error.message}`));
  page.on('request', (request) => watched.requests.push(request.url()));
  page.on('dialog', (dialog) => {
    watched.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(reportUrl, { waitUntil: 'load' });
  return watched;
}

function visibleRows(page: Page, section: string): Promise<number> {
  return page.locator(`#${section} table[data-filterable] > tbody > tr:visible`).count();
}

describe('HTML report in headless Chromium', () => {
  it('loads with no console error or warning, requests nothing but itself, and runs its script under the CSP', async () => {
    const { page, problems, requests, dialogs } = await open();
    expect(problems).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(requests.filter((url) => url !== reportUrl && !url.startsWith('data:'))).toEqual([]);
    // The script ran (CSP hash accepted): the controls it reveals are visible.
    await expect(page.locator('#controls').isVisible()).resolves.toBe(true);
    await page.context().close();
  });

  it('keeps hostile strings inert and visible as text', async () => {
    const { page, dialogs } = await open();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('[onerror]').count()).toBe(0);
    for (const text of [hostile.script, hostile.img, hostile.formula]) {
      await expect(page.getByText(text, { exact: false }).filter({ visible: true }).count()).resolves.toBeGreaterThan(0);
    }
    // The ANSI escape arrives as visible `\x1b`, not as a control character.
    await expect(page.getByText('\\x1b[31mred', { exact: false }).filter({ visible: true }).count()).resolves.toBeGreaterThan(0);
    // Evidence lines carry payloads too: opened, they are still text.
    await page.getByRole('button', { name: 'Expand all' }).click();
    await expect(page.locator('#problems pre', { hasText: `request from ${hostile.img}` }).isVisible()).resolves.toBe(true);
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.context().close();
  });

  it('filters rows as the user types, across every table, and counts the matches', async () => {
    const { page } = await open();
    const before = await visibleRows(page, 'problems');
    expect(before).toBe(report.findings.length);
    await page.locator('#filter').fill('order-worker');
    expect(await visibleRows(page, 'problems')).toBe(2);
    // The gate's column comes first in a gated report: the unit is the fourth cell.
    expect(await page.locator('#problems > table > tbody > tr:visible > td:nth-child(4) > code').allTextContents()).toEqual(['order-worker.socket', 'order-worker.socket']);
    expect(await visibleRows(page, 'hosts')).toBe(2);
    // Unknown-host groups with no match disappear whole; a section says nothing matched.
    expect(await page.locator('#unknown [data-filter-group]:visible').count()).toBe(0);
    await page.locator('#filter').fill('refused');
    expect(await page.locator('#unknown [data-filter-group]:visible h3').allTextContents()).toEqual(['refused — connection refused (2)']);
    await page.locator('#filter').fill('no-such-host');
    await expect(page.locator('#problems p.empty').isVisible()).resolves.toBe(true);
    expect(await page.locator('#problems > table').isVisible()).toBe(false);
    await page.locator('#filter').fill('order-worker');
    await expect(page.locator('#filter-count').textContent()).resolves.toMatch(/^\d+ of \d+ rows match$/);
    await page.locator('#filter').fill('東京 metrics');
    expect(await visibleRows(page, 'problems')).toBe(1);
    await page.locator('#filter').fill('');
    expect(await visibleRows(page, 'problems')).toBe(before);
    await page.context().close();
  });

  it('sorts a table by a column header, both ways, numbers as numbers', async () => {
    const { page } = await open();
    const hostNames = (): Promise<string[]> => page.locator('#hosts > table > tbody > tr > td:first-child').allTextContents();
    const inventoryOrder = await hostNames();
    const header = page.locator('#hosts > table > thead th').first();
    await header.getByRole('button').click();
    const ascending = await hostNames();
    expect(ascending).toEqual([...inventoryOrder].sort((a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' })));
    expect(ascending).not.toEqual(inventoryOrder);
    await expect(header.getAttribute('aria-sort')).resolves.toBe('ascending');
    await header.getByRole('button').click();
    expect(await hostNames()).toEqual([...ascending].reverse());
    // "Problems" sorts numerically, unknown hosts (-1) first.
    await page.locator('#hosts > table > thead th', { hasText: 'Problems' }).getByRole('button').click();
    const counts = await page.locator('#hosts > table > tbody > tr > td:nth-child(7)').allTextContents();
    expect(counts.filter((c) => c !== '—')).toEqual(['0', '1', '2', '2', '3', '3', '5']);
    await page.context().close();
  });

  it('expands and collapses every evidence block', async () => {
    const { page } = await open();
    const details = page.locator('#problems details');
    expect(await details.count()).toBe(report.findings.length);
    await page.getByRole('button', { name: 'Expand all' }).click();
    expect(await page.locator('#problems details[open]').count()).toBe(report.findings.length);
    await expect(page.getByText('Address already in use', { exact: false }).first().isVisible()).resolves.toBe(true);
    await expect(page.getByText("ss -ltnp 'sport = :8080'", { exact: true }).isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Collapse all' }).click();
    expect(await page.locator('details[open]').count()).toBe(0);
    await page.context().close();
  });

  it('is complete without JavaScript: every table is there, the controls stay hidden', async () => {
    const { page, problems } = await open(false);
    expect(problems).toEqual([]);
    expect(await visibleRows(page, 'problems')).toBe(report.findings.length);
    expect(await visibleRows(page, 'hosts')).toBe(13);
    expect(await visibleRows(page, 'unknown')).toBe(6);
    expect(await page.locator('#controls').isVisible()).toBe(false);
    // <details> needs no script.
    await page.locator('#problems details summary').first().click();
    expect(await page.locator('#problems details[open]').count()).toBe(1);
    await page.context().close();
  });

  it('writes a screenshot for the README (docs/ too with SOCKAUDIT_UPDATE_SCREENSHOT=1)', async () => {
    const { page } = await open();
    await page.setViewportSize({ width: 1600, height: 1800 });
    // The port conflict on web-2: cause, journal evidence and next steps, opened.
    await page.locator('#problems > table > tbody > tr', { hasText: 'web-2' }).filter({ hasText: 'Port already in use' }).locator('details summary').click();
    await page.evaluate('window.scrollTo(0, 0)');
    await mkdir(screenshotDir, { recursive: true });
    const png = await page.screenshot({ path: new URL('report-screenshot.png', screenshotDir).pathname, fullPage: false });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    if (process.env.SOCKAUDIT_UPDATE_SCREENSHOT === '1') {
      await mkdir(new URL('.', docsScreenshot), { recursive: true });
      await writeFile(docsScreenshot, png);
    }
    await page.context().close();
  });
});
