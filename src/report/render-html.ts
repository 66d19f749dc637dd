// One self-contained HTML file: no network, inline CSS and JS allowed only by their hashes in
// a Content-Security-Policy, readable without JavaScript (every table is rendered here), and
// every host-supplied string escaped by the `html` tag.
import { createHash } from 'node:crypto';
import type { FleetReport } from '../model/types.js';
import { buildFleetView, severityCounts, type FleetView } from './fleet-view.js';
import { reportCss, reportScript } from './html-assets.js';
import { gateSection, gateVerdictHtml } from './html-gate.js';
import { hostsSection, problemsSection, unitsSection, unknownSection } from './html-sections.js';
import { html, trusted, type SafeHtml } from './html-template.js';

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * Nothing may load from anywhere: no network, no plugins, no forms, no <base> hijack. The one
 * stylesheet and the one script are allowed by hash (a nonce buys nothing in a static file).
 */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    `style-src ${sha256(reportCss)}`,
    `script-src ${sha256(reportScript)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function verdict(view: FleetView): SafeHtml {
  const unknown = view.report.summary.hostsUnknown;
  const notAudited = unknown === 0 ? '' : ` · ${plural(unknown, 'host')} not audited`;
  if (view.problems.length > 0) {
    const tone = view.bySeverity.critical + view.bySeverity.warning > 0 ? 'bad' : 'warn';
    return html`<p class="verdict ${tone}">${plural(view.problems.length, 'socket problem')} (${severityCounts(view.bySeverity)}) on ${view.hostsWithProblems} of ${plural(view.hostsAudited, 'audited host')}${notAudited}</p>`;
  }
  if (unknown > 0) return html`<p class="verdict warn">No socket problems on ${plural(view.hostsAudited, 'audited host')}, but ${plural(unknown, 'host')} could not be audited</p>`;
  return html`<p class="verdict ok">No socket problems on ${plural(view.hostsAudited, 'audited host')}</p>`;
}

function card(n: number, label: string, tone: 'bad' | 'warn' | 'ok' | ''): SafeHtml {
  return html`<div class="card ${tone}"><span class="n">${n}</span><span class="l">${label}</span></div>`;
}

function summaryCards(view: FleetView): SafeHtml {
  const s = view.report.summary;
  return html`<section class="cards" aria-label="Summary">
${card(s.hostsTotal, 'hosts', '')}${card(s.hostsAudited, 'audited', s.hostsAudited > 0 ? 'ok' : '')}${card(s.hostsUnknown, 'not audited (unknown)', s.hostsUnknown > 0 ? 'warn' : 'ok')}
${card(s.socketsAudited, 'sockets checked', '')}${card(view.problems.length, 'socket problems', view.problems.length > 0 ? 'bad' : 'ok')}${card(view.hostsWithProblems, 'hosts with problems', view.hostsWithProblems > 0 ? 'bad' : 'ok')}
</section>`;
}

function metadata(report: FleetReport): SafeHtml {
  const item = (term: string, value: string): SafeHtml => html`<div><dt>${term}</dt><dd>${value}</dd></div>`;
  return html`<dl class="meta">${[
    item('Started', report.startedAt),
    item('Finished', report.finishedAt),
    item('Duration', `${(report.durationMs / 1000).toFixed(1)} s`),
    item('Tool', `${report.tool.name} ${report.tool.version}`),
    item('Report schema', String(report.schemaVersion)),
  ]}</dl>`;
}

export interface HtmlOptions {
  /** Page title; by default it names the run's start time. */
  title?: string;
}

export function renderHtml(report: FleetReport, options: HtmlOptions = {}): string {
  const view = buildFleetView(report);
  const title = options.title ?? `sockaudit report — ${report.startedAt}`;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy()}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="${report.tool.name} ${report.tool.version}">
<title>${title}</title>
<link rel="icon" href="data:,">
<style>${trusted(reportCss)}</style>
</head>
<body>
<header>
<h1>${title}</h1>
${verdict(view)}
${gateVerdictHtml(report)}
${metadata(report)}
<nav><a href="#units">By unit</a><a href="#problems">Socket problems</a><a href="#hosts">Hosts</a><a href="#unknown">Not audited</a>${report.gate === undefined ? '' : html`<a href="#gate">Gate</a>`}</nav>
</header>
${summaryCards(view)}
<div class="controls" id="controls" hidden>
<label for="filter">Filter</label><input type="search" id="filter" placeholder="host, unit, result, text…" autocomplete="off">
<button type="button" id="expand-all">Expand all</button><button type="button" id="collapse-all">Collapse all</button>
<span id="filter-count" aria-live="polite"></span>
</div>
<main>
${unitsSection(view)}
${problemsSection(view)}
${unknownSection(view)}
${gateSection(report)}
${hostsSection(view)}
</main>
<footer>Generated by ${report.tool.name} ${report.tool.version} from a schemaVersion ${report.schemaVersion} report · re-render any saved JSON with <code>sockaudit report RUN.json --format html</code></footer>
<script>${trusted(reportScript)}</script>
</body>
</html>
`;
  return page.html;
}
