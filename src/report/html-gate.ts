// The gate in the HTML report: its verdict under the page title, a badge per problem (fails,
// waived until …, waiver expired, new, persisting) and a section with every waiver and
// requirement of the policy. Policy text comes from a file too: it only enters through `html`.
import { findingFailsGate } from '../model/exit-code.js';
import type { Finding, FleetReport, GateSummary } from '../model/types.js';
import { gateParts, gateVerdict, toleranceText, waiverScope } from './gate-text.js';
import { html, type SafeHtml } from './html-template.js';

const tone = { pass: 'ok', fail: 'bad', incomplete: 'warn' } as const;

export function gateVerdictHtml(report: FleetReport): SafeHtml {
  const verdict = gateVerdict(report);
  const [head, ...rest] = gateParts(report);
  if (verdict === null || head === undefined) return html``;
  return html`<p class="verdict ${tone[verdict]}" id="gate-verdict">${head} <span class="muted">· ${rest.join(' · ')}</span></p>`;
}

export function gateBadges(finding: Finding, gate: GateSummary): SafeHtml {
  const marks = finding.gate;
  if (marks === undefined) return html``;
  const state = marks.waived
    ? html`<span class="badge sev-none" title="${marks.waiver?.reason ?? ''}">waived until ${marks.waiver?.expires ?? '?'}</span>`
    : findingFailsGate(finding, gate.thresholds)
      ? html`<span class="badge sev-critical">fails the gate</span>`
      : html`<span class="badge sev-notice">passes</span>`;
  const expired = marks.waiver?.expired === true ? html`<div><span class="badge sev-warning">waiver expired on ${marks.waiver.expires}</span></div>` : '';
  const baseline = marks.baseline === null ? '' : html`<div class="muted">${marks.baseline}</div>`;
  const waiver = marks.waiver === null ? '' : html`<div class="muted multiline">${marks.waiver.where}${marks.waiver.owner === null ? '' : ` · ${marks.waiver.owner}`}: ${marks.waiver.reason}</div>`;
  return html`${state}${expired}${baseline}${waiver}`;
}

export function gateSection(report: FleetReport): SafeHtml {
  const gate = report.gate;
  if (gate === undefined) return html``;
  const waiverRows = gate.waivers.map((w) => {
    const state = w.state === 'expired' ? html`<span class="badge sev-critical">expired on ${w.expires}</span>` : w.state === 'expiring' ? html`<span class="badge sev-warning">expires in ${w.daysLeft} d</span>` : html`<span class="badge sev-none">until ${w.expires}</span>`;
    return html`<tr><td class="nowrap"><code>${w.where}</code></td><td>${waiverScope(w)}</td><td data-sort="${w.daysLeft}">${state}</td><td class="num">${w.matched}${w.matched === 0 ? html` <span class="muted">stale</span>` : ''}</td><td>${w.owner ?? '—'}</td><td class="multiline">${w.reason}</td></tr>`;
  });
  const requirementRows = gate.required.map(
    (r) => html`<tr><td class="nowrap"><code>${r.where}</code></td><td><code>${r.unit}</code> ${r.state}${r.listen.length === 0 ? '' : `, listening on ${r.listen.join(', ')}`}</td><td>${r.hosts.join(', ')}</td><td class="num">${r.checked}</td><td class="num" data-sort="${r.unmet}">${r.unmet}</td></tr>`,
  );
  const waivers =
    waiverRows.length === 0
      ? ''
      : html`<h3>Waivers (${waiverRows.length})</h3><table data-sortable data-filterable><thead><tr><th>Where</th><th>Waives</th><th>State</th><th class="num">Findings</th><th>Owner</th><th>Reason</th></tr></thead><tbody>${waiverRows}</tbody></table>`;
  const requirements =
    requirementRows.length === 0
      ? ''
      : html`<h3>Required sockets (${requirementRows.length})</h3><table data-sortable data-filterable><thead><tr><th>Where</th><th>Requires</th><th>On hosts</th><th class="num">Checked</th><th class="num">Unmet</th></tr></thead><tbody>${requirementRows}</tbody></table>`;
  const t = gate.thresholds;
  const overrides = [...Object.entries(t.failOnKinds ?? {}), ...Object.entries(t.failOnCauses ?? {})].map(([id, level]) => `${id}: ${level}`);
  const facts = html`<dl class="meta"><div><dt>Fails on</dt><dd>${t.failOn} and above${overrides.length === 0 ? '' : ` (${overrides.join(', ')})`}</dd></div><div><dt>Unknown hosts tolerated</dt><dd>${toleranceText(t.maxUnknown)}</dd></div><div><dt>Policy</dt><dd>${gate.policyFile ?? 'none'}</dd></div><div><dt>Waivers checked on</dt><dd>${gate.today}</dd></div><div><dt>Baseline</dt><dd>${gate.baseline === null ? 'none' : `${gate.baseline.file} (${gate.baseline.startedAt})`}</dd></div></dl>`;
  return html`<section id="gate"><h2>Gate</h2>${facts}${waivers}${requirements}</section>`;
}
