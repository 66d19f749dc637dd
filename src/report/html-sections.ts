// The HTML report's sections, server-side rendered: the per-unit pivot, the problems with
// their expandable evidence, the per-host view and the unknown hosts by reason. Host data
// only ever enters through the escaping `html` tag; no host string becomes an id or a name.
import type { GateSummary, HostReport, Severity, SocketState } from '../model/types.js';
import { hostEndpoint, severityRank, type FleetView, type HostView, type ProblemView, type UnitView } from './fleet-view.js';
import { formatJournalEntry } from './finding-explanation.js';
import { formatListen, formatTriggered, unknownReasonTitles } from './format-units.js';
import { gateBadges } from './html-gate.js';
import { html, type SafeHtml } from './html-template.js';
import { sudoJournalNotes } from './journal-notes.js';
import { oneLine } from './text-safety.js';


function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function orNone(value: string | number | boolean | null | undefined): string {
  return value === null || value === undefined || value === '' ? '—' : String(value);
}

export function severityBadge(severity: Severity | null): SafeHtml {
  return severity === null ? html`<span class="badge sev-none">ok</span>` : html`<span class="badge sev-${severity}">${severity}</span>`;
}

function versionShares(unit: UnitView): SafeHtml[] {
  return unit.bySystemdVersion.map(
    (share) => html`<div>${share.version === null ? 'unknown' : `systemd ${share.version}`}: ${share.failed} / ${share.present}</div>`,
  );
}

export function unitsSection(view: FleetView): SafeHtml {
  if (view.units.length === 0) return html`<section id="units"><h2>Problems by unit</h2><p class="empty">No socket problems on ${plural(view.hostsAudited, 'audited host')}.</p></section>`;
  const rows = view.units.map(
    (unit) => html`<tr>
<td data-sort="${severityRank[unit.severity]}">${severityBadge(unit.severity)}</td>
<td class="nowrap"><code>${oneLine(unit.unit)}</code></td>
<td class="num" data-sort="${unit.hosts.length}">${unit.hosts.length} of ${view.hostsAudited} <meter min="0" max="${Math.max(1, view.hostsAudited)}" value="${unit.hosts.length}"></meter><div class="muted">${unit.hostsWithUnit} ${unit.hostsWithUnit === 1 ? 'has' : 'have'} the unit</div></td>
<td>${unit.byCause.map((c) => html`<div>${c.label} <span class="muted">×${c.count}</span></div>`)}</td>
<td>${versionShares(unit)}</td>
<td>${unit.hosts.join(', ')}</td>
</tr>`,
  );
  return html`<section id="units"><h2>Problems by unit</h2>
<table data-sortable data-filterable>
<thead><tr><th>Severity</th><th>Unit</th><th class="num">Problem on (of audited hosts)</th><th>By cause</th><th>By systemd version (with a problem / with the unit)</th><th>Hosts</th></tr></thead>
<tbody>${rows}</tbody></table></section>`;
}

function socketFacts(socket: SocketState | undefined): SafeHtml {
  if (socket === undefined) return html`<dt>Socket</dt><dd>not in the report</dd>`;
  return html`<dt>State</dt><dd>${socket.load} / ${socket.active} / ${socket.sub}${socket.result === null ? '' : ` (Result=${socket.result})`}</dd>
<dt>Load error</dt><dd>${orNone(socket.loadError)}</dd>
<dt>Unit file</dt><dd><code>${orNone(socket.fragmentPath)}</code> ${orNone(socket.unitFileState)}</dd>
<dt>State changed</dt><dd>${orNone(socket.stateChangedAt)}</dd>
<dt>Accept</dt><dd>${orNone(socket.accept)} · accepted ${orNone(socket.nAccepted)} · connections ${orNone(socket.nConnections)} · refused ${orNone(socket.nRefused)}</dd>`;
}

function explanationBlock(problem: ProblemView): SafeHtml {
  const { cause, evidence, nextSteps, hint } = problem.explanation;
  const causeHtml = html`<dt>Cause</dt><dd><strong>${cause.title}</strong> <span class="muted">(${cause.id}, from ${cause.basis})</span><div class="multiline">${cause.detail}</div>${
    cause.explanation === null ? '' : html`<div class="muted">${cause.explanation}</div>`
  }</dd>`;
  const note = evidence.note === null ? '' : html`<div class="muted">${evidence.note}</div>`;
  const lines = evidence.entries.length === 0 ? html`<div class="empty">No journal lines (journal access: ${evidence.journalAccess}).</div>` : html`<pre>${evidence.entries.map((e) => `${formatJournalEntry(e)}\n`)}</pre>`;
  const steps =
    nextSteps.length === 0
      ? html`<dt>What to do</dt><dd>${hint}</dd>`
      : html`<dt>Next steps</dt><dd><ol class="steps">${nextSteps.map((step) => html`<li>${step.label}<pre><code>${step.command}</code></pre></li>`)}</ol></dd>`;
  return html`${causeHtml}<dt>Evidence</dt><dd>${lines}${note}</dd>${steps}`;
}

function problemRow(problem: ProblemView, gate: GateSummary | undefined): SafeHtml {
  const { host, finding, socket } = problem;
  return html`<tr>
${gate === undefined ? '' : html`<td>${gateBadges(finding, gate)}</td>`}
<td data-sort="${severityRank[finding.severity]}">${severityBadge(finding.severity)}</td>
<td class="nowrap">${host.name}</td>
<td class="unit"><code>${oneLine(finding.unit)}</code>${socket?.description ? html`<div class="multiline muted">${socket.description}</div>` : ''}</td>
<td class="wide" data-sort="${problem.explanation.cause.title}">${problem.explanation.cause.title}<div class="muted">${finding.result === null || finding.result === 'success' ? '' : `Result=${finding.result}`}</div></td>
<td class="multiline mono wide">${formatListen(finding.listen)}</td>
<td class="multiline wide">${formatTriggered(finding.triggers)}</td>
<td class="evidence"><details><summary>${problem.explanation.kindTitle}: why and what next</summary><dl>
${explanationBlock(problem)}
${socketFacts(socket)}
<dt>Host</dt><dd>${host.name} · ${host.systemdVersionText ?? ''}</dd>
</dl></details></td>
</tr>`;
}

export function problemsSection(view: FleetView): SafeHtml {
  if (view.problems.length === 0) return html``;
  const gate = view.report.gate;
  return html`<section id="problems"><h2>Socket problems (${view.problems.length})</h2>
<table data-sortable data-filterable>
<thead><tr>${gate === undefined ? '' : html`<th>Gate</th>`}<th>Severity</th><th>Host</th><th>Unit and description</th><th>Cause</th><th>Listen</th><th>Triggers</th><th>Evidence and next steps</th></tr></thead>
<tbody>${view.problems.map((problem) => problemRow(problem, gate))}</tbody></table></section>`;
}

function hostSockets(host: HostReport): SafeHtml {
  if (host.sockets.length === 0) return html`<p class="empty">No socket units.</p>`;
  const rows = host.sockets.map(
    (s) => html`<tr><td><code>${oneLine(s.unit)}</code></td><td>${s.load}/${s.active}/${s.sub}</td><td>${orNone(s.result)}</td><td class="multiline mono">${formatListen(s.listen)}</td><td class="multiline">${s.description ?? ''}</td></tr>`,
  );
  return html`<table><thead><tr><th>Unit</th><th>State</th><th>Result</th><th>Listen</th><th>Description</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** What this host's systemd or journal could not tell: "not supported" must not read as "fine". */
function gaps(host: HostReport): string {
  const missing = host.capabilities === undefined ? [] : Object.entries(host.capabilities).filter(([, has]) => !has).map(([name]) => name);
  return missing.length === 0 ? '' : missing.join(', ');
}

function hostDetails(view: HostView): SafeHtml {
  const { host } = view;
  const labels = Object.entries(host.labels).map(([k, v]) => `${k}=${v}`).join(', ');
  const journal = host.journalAccess === undefined ? '' : `${host.journalAccess}${host.journalAccessDetail ? ` — ${host.journalAccessDetail}` : ''}`;
  const sudo = host.journalAccess === 'sudo-required' ? sudoJournalNotes([host])[0] : undefined;
  const sudoFix = sudo === undefined ? '' : html`<div>${sudo.note}; fix: ${sudo.fix.label}:</div><pre><code>${sudo.fix.command}</code></pre>`;
  const facts = html`<dl><dt>Groups</dt><dd>${orNone(host.groups.join(', '))}</dd><dt>Labels</dt><dd>${orNone(labels)}</dd><dt>User</dt><dd>${host.user}</dd><dt>Audit took</dt><dd>${host.durationMs} ms${
    host.attempts !== undefined && host.attempts > 1 ? ` (${host.attempts} connection attempts)` : ''
  }</dd>${host.status === 'audited' ? html`<dt>systemd</dt><dd>${orNone(host.systemdVersionText)}</dd><dt>Journal access</dt><dd>${orNone(journal)}${sudoFix}</dd><dt>Capability gaps</dt><dd>${orNone(gaps(host))}</dd>` : ''}${
    host.warnings.length === 0 ? '' : html`<dt>Warnings</dt><dd class="multiline">${host.warnings.join('\n')}</dd>`
  }</dl>`;
  if (host.status === 'unknown') return html`<details><summary>${host.reason ?? 'parse-error'}</summary>${facts}<pre>${host.detail ?? ''}</pre></details>`;
  return html`<details><summary>${plural(host.sockets.length, 'socket')}</summary>${facts}${hostSockets(host)}</details>`;
}

function hostRow(view: HostView): SafeHtml {
  const { host } = view;
  const unknown = host.status === 'unknown';
  const status = unknown ? html`<span class="badge st-unknown">unknown</span>` : html`<span class="badge st-audited">audited</span>`;
  return html`<tr>
<td class="nowrap">${host.name}</td>
<td class="mono nowrap">${view.endpoint}</td>
<td data-sort="${unknown ? 0 : 1}">${status}</td>
<td class="num" data-sort="${host.systemdVersion ?? -1}">${host.systemdVersion ?? '—'}</td>
<td>${unknown ? unknownReasonTitles[host.reason ?? 'parse-error'] : orNone(host.systemState)}</td>
<td class="num">${unknown ? '—' : host.sockets.length}</td>
<td class="num" data-sort="${unknown ? -1 : view.problems.length}">${unknown ? '—' : view.problems.length}</td>
<td class="nowrap">${[...new Set(view.problems.map((p) => p.finding.unit))].map((unit) => html`<div><code>${oneLine(unit)}</code></div>`)}</td>
<td>${hostDetails(view)}</td>
</tr>`;
}

export function hostsSection(view: FleetView): SafeHtml {
  return html`<section id="hosts"><h2>Hosts (${view.hosts.length})</h2>
<table data-sortable data-filterable>
<thead><tr><th>Host</th><th>Address</th><th>Status</th><th class="num">systemd</th><th>State</th><th class="num">Sockets</th><th class="num">Problems</th><th>Problem units</th><th>Details</th></tr></thead>
<tbody>${view.hosts.map(hostRow)}</tbody></table></section>`;
}

export function unknownSection(view: FleetView): SafeHtml {
  if (view.unknown.length === 0) return html``;
  const total = view.unknown.reduce((n, group) => n + group.hosts.length, 0);
  const groups = view.unknown.map(
    (group) => html`<div data-filter-group><h3><code>${group.reason}</code> — ${group.title} (${group.hosts.length})</h3>
<table data-sortable data-filterable><thead><tr><th>Host</th><th>Address</th><th>Detail</th></tr></thead>
<tbody>${group.hosts.map((h) => html`<tr><td>${h.name}</td><td class="mono">${hostEndpoint(h)}</td><td class="multiline mono">${h.detail ?? ''}</td></tr>`)}</tbody></table></div>`,
  );
  return html`<section id="unknown"><h2>Hosts not audited (${total}) — unknown is not healthy</h2>${groups}</section>`;
}
