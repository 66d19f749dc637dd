// A saved report back into a FleetReport: the output of `-f json`, or of `-f jsonl` (host
// lines in any order, then the summary line). Anything else is a ConfigError naming the file,
// the line or JSON path, and what was expected, so `sockaudit report` can exit 2 with it.
import { ConfigError, type ConfigIssue } from '../model/config-error.js';
import type { Finding, FleetReport, HostReport } from '../model/types.js';
import { findingShape, fleetReportShape, hostReportShape, optionalRunFields, runFields } from './fleet-report-schema.js';
import type { JsonlHostLine, JsonlSummaryLine } from './render-jsonl.js';
import { arrayOf, checkShape, literal, num, object, type ShapeIssue } from './shape-check.js';

const maxIssues = 20;
const hint = 'sockaudit report reads what `sockaudit audit -f json` (or `-f jsonl`) wrote';

function fail(file: string, issues: readonly ShapeIssue[], line?: number): never {
  const shown: ConfigIssue[] = issues.slice(0, maxIssues).map((i) => ({ file, line, path: i.path, message: i.message }));
  if (issues.length > maxIssues) shown.push({ file, message: `… and ${issues.length - maxIssues} more problems` });
  throw new ConfigError(shown);
}

function parseJson(text: string, file: string, line?: number): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigError({ file, line, message: `not valid JSON: ${(error as Error).message}`, hint });
  }
}

function checkVersion(value: unknown, file: string, line?: number): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError({ file, line, message: 'not a sockaudit report: expected a JSON object', hint });
  }
  const version = (value as { schemaVersion?: unknown }).schemaVersion;
  if (version === undefined) throw new ConfigError({ file, line, path: 'schemaVersion', message: 'missing: not a sockaudit report', hint });
  if (version !== 1) {
    throw new ConfigError({ file, line, path: 'schemaVersion', message: `unsupported schemaVersion ${JSON.stringify(version)}; this sockaudit reads schemaVersion 1`, hint: 'render it with the sockaudit version that wrote it' });
  }
}

function crossCheck(report: FleetReport): ShapeIssue[] {
  const issues: ShapeIssue[] = [];
  const names = new Set<string>();
  report.hosts.forEach((host, i) => {
    if (names.has(host.name)) issues.push({ path: `hosts[${i}].name`, message: `duplicate host "${host.name}"` });
    names.add(host.name);
  });
  report.findings.forEach((finding, i) => {
    if (!names.has(finding.host)) issues.push({ path: `findings[${i}].host`, message: `"${finding.host}" is not one of the report's hosts` });
  });
  return issues;
}

const hostLineShape = object({ type: literal('host'), schemaVersion: literal(1), index: num, host: hostReportShape, findings: arrayOf(findingShape) });
const summaryLineShape = object({ type: literal('summary'), schemaVersion: literal(1), ...runFields }, optionalRunFields);

function parseJsonl(lines: readonly { text: string; number: number }[], file: string): FleetReport {
  const hosts: { index: number; host: HostReport; findings: Finding[] }[] = [];
  let summary: JsonlSummaryLine | undefined;
  for (const { text, number } of lines) {
    const value = parseJson(text, file, number);
    checkVersion(value, file, number);
    if (summary !== undefined) throw new ConfigError({ file, line: number, message: 'a line after the summary line', hint: 'the summary line ends a JSONL report' });
    const type = (value as { type?: unknown }).type;
    if (type === 'host') {
      const issues = checkShape(value, hostLineShape);
      if (issues.length > 0) fail(file, issues, number);
      hosts.push(value as JsonlHostLine);
    } else {
      const issues = checkShape(value, summaryLineShape);
      if (issues.length > 0) fail(file, issues, number);
      summary = value as JsonlSummaryLine;
    }
  }
  if (summary === undefined) {
    throw new ConfigError({ file, message: `no summary line after ${hosts.length} host line(s): the run did not finish`, hint: 'a JSONL report ends with a {"type":"summary"} line' });
  }
  hosts.sort((a, b) => a.index - b.index);
  const { type: _type, ...run } = summary;
  return { ...run, schemaVersion: 1, hosts: hosts.map((h) => h.host), findings: hosts.flatMap((h) => h.findings) };
}

/** JSONL when the first line alone is a JSON object carrying a line type. */
function isJsonlLine(text: string): boolean {
  if (!text.startsWith('{') || !text.endsWith('}')) return false;
  try {
    const value = JSON.parse(text) as unknown;
    const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
    return type === 'host' || type === 'summary';
  } catch {
    return false;
  }
}

/** Parses and validates a saved report; `file` names it in errors. */
export function readFleetReport(text: string, file: string): FleetReport {
  const lines = text
    .split('\n')
    .map((line, i) => ({ text: line.trim(), number: i + 1 }))
    .filter((line) => line.text !== '');
  if (lines.length === 0) throw new ConfigError({ file, message: 'empty file', hint });
  let report: FleetReport;
  if (isJsonlLine(lines[0]?.text ?? '')) {
    report = parseJsonl(lines, file);
  } else {
    const value = parseJson(text, file);
    checkVersion(value, file);
    const issues = checkShape(value, fleetReportShape);
    if (issues.length > 0) fail(file, issues);
    report = value as FleetReport;
  }
  const issues = crossCheck(report);
  if (issues.length > 0) fail(file, issues);
  return report;
}
