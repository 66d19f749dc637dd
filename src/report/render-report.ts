// Every output format, by name: the one switch the CLI uses for stdout, -o and --report.
import type { FleetReport } from '../model/types.js';
import { renderCsv } from './render-csv.js';
import { renderHtml } from './render-html.js';
import { renderJson } from './render-json.js';
import { renderJsonl } from './render-jsonl.js';
import { renderJunit } from './render-junit.js';
import { renderMarkdown, type MarkdownOptions } from './render-markdown.js';
import { renderPrometheus } from './render-prometheus.js';
import { renderTable, type TableOptions } from './render-table.js';
import type { ReportFormat } from './report-formats.js';

export { reportFormats, type ReportFormat } from './report-formats.js';

export interface RenderOptions {
  table?: TableOptions;
  markdown?: MarkdownOptions;
}

export function renderReport(report: FleetReport, format: ReportFormat, options: RenderOptions = {}): string {
  switch (format) {
    case 'table':
      return renderTable(report, options.table ?? { color: false });
    case 'json':
      return renderJson(report);
    case 'jsonl':
      return renderJsonl(report);
    case 'csv':
      return renderCsv(report);
    case 'html':
      return renderHtml(report);
    case 'junit':
      return renderJunit(report);
    case 'markdown':
      return renderMarkdown(report, options.markdown);
    case 'prometheus':
      return renderPrometheus(report);
  }
}
