// renderReport for the CLI: loads only the renderer of the format being written. Importing
// render-report.ts loads all eight, cli-table3 and the HTML assets included — ~40 ms of CPU on
// every start, which an audit writing one JSON report would pay for nothing (issue 7: client
// CPU per host, start-up included).
import type { FleetReport } from '../model/types.js';
import type { RenderOptions } from './render-report.js';
import type { ReportFormat } from './report-formats.js';

export async function renderReportLazily(report: FleetReport, format: ReportFormat, options: RenderOptions = {}): Promise<string> {
  switch (format) {
    case 'table':
      return (await import('./render-table.js')).renderTable(report, options.table ?? { color: false });
    case 'json':
      return (await import('./render-json.js')).renderJson(report);
    case 'jsonl':
      return (await import('./render-jsonl.js')).renderJsonl(report);
    case 'csv':
      return (await import('./render-csv.js')).renderCsv(report);
    case 'html':
      return (await import('./render-html.js')).renderHtml(report);
    case 'junit':
      return (await import('./render-junit.js')).renderJunit(report);
    case 'markdown':
      return (await import('./render-markdown.js')).renderMarkdown(report, options.markdown);
    case 'prometheus':
      return (await import('./render-prometheus.js')).renderPrometheus(report);
  }
}
