// Flag values → typed options. Every bad value is a ConfigError (exit 2) naming the flag.
import { ConfigError } from '../model/config-error.js';
import type { UnknownTolerance } from '../model/exit-code.js';
import type { Severity } from '../model/types.js';
// Only the names: importing render-report.js would load every renderer at start-up.
import { reportFormats, type ReportFormat } from '../report/report-formats.js';

export { reportFormats, type ReportFormat };

export interface ReportTarget {
  format: ReportFormat;
  /** `-` is stdout. */
  file: string;
}

function flagError(flag: string, message: string, hint?: string): ConfigError {
  return new ConfigError({ path: flag, message, hint });
}

export function parseFormat(value: string, flag = '--format'): ReportFormat {
  if ((reportFormats as readonly string[]).includes(value)) return value as ReportFormat;
  throw flagError(flag, `expected one of ${reportFormats.join(', ')}, got "${value}"`);
}

/** `--report json:audit.json`; the file may itself contain colons (`html:C:\\x.html`, `csv:a:b`). */
export function parseReportTarget(value: string): ReportTarget {
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1) {
    throw flagError('--report', `expected FORMAT:FILE, got "${value}"`, 'for example --report json:audit.json');
  }
  return { format: parseFormat(value.slice(0, colon), '--report'), file: value.slice(colon + 1) };
}

export function parsePositiveInt(value: string, flag: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw flagError(flag, `expected an integer 1–${max}, got "${value}"`);
  }
  return Number(value);
}

const sizeUnits: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2 };

/** `4MiB`, `512k`, `65536` → bytes. */
export function parseByteSize(value: string, flag: string): number {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(value.trim());
  const unit = match?.[2]?.toLowerCase() ?? '';
  const factor = sizeUnits[unit];
  if (match === null || factor === undefined || Number(match[1]) === 0) {
    throw flagError(flag, `expected a size like 4MiB, 512k or 65536, got "${value}"`);
  }
  return Number(match[1]) * factor;
}

/** `--max-unknown 3` (hosts) or `--max-unknown 5%` (of the selected hosts). */
export function parseMaxUnknown(value: string): UnknownTolerance {
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(value);
  if (percent !== null && Number(percent[1]) <= 100) return { percent: Number(percent[1]) };
  if (/^\d+$/.test(value)) return { count: Number(value) };
  throw flagError('--max-unknown', `expected a host count like 3 or a share like 5%, got "${value}"`);
}

const severities: readonly Severity[] = ['notice', 'warning', 'critical'];

export function parseSeverity(value: string): Severity {
  if ((severities as readonly string[]).includes(value)) return value as Severity;
  throw flagError('--fail-on', `expected one of ${severities.join(', ')}, got "${value}"`);
}

/** Colour decided once: --no-color and NO_COLOR win, FORCE_COLOR forces, else a TTY. */
export function useColor(flag: boolean, env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  if (!flag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0';
  return isTty;
}
