// Usage and configuration mistakes (a broken inventory, a bad flag) are the only errors that
// are thrown; everything a host does is data. The CLI turns a ConfigError into exit code 2.

/** One mistake, located as precisely as we can: file, line, YAML path. */
export interface ConfigIssue {
  file?: string;
  line?: number;
  column?: number;
  /** YAML path of the offending value, e.g. `hosts[3].port`. */
  path?: string;
  /** What was wrong: `expected an integer 1–65535, got "ssh"`. */
  message: string;
  hint?: string;
}

export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[] | ConfigIssue) {
    const list = Array.isArray(issues) ? issues : [issues as ConfigIssue];
    super(list.map(formatConfigIssue).join('\n'));
    this.name = 'ConfigError';
    this.issues = list;
  }
}

/** `inventory.yaml:14 hosts[3].port: expected an integer 1–65535, got "ssh"` */
export function formatConfigIssue(issue: ConfigIssue): string {
  const where = issue.file === undefined ? '' : issue.line === undefined ? issue.file : `${issue.file}:${issue.line}`;
  const head = [where, issue.path].filter((part) => part !== undefined && part !== '').join(' ');
  const text = head === '' ? issue.message : `${head}: ${issue.message}`;
  return issue.hint === undefined ? text : `${text}\n  hint: ${issue.hint}`;
}

/** Why a file the user named could not be read, in words: `no such file`, `is a directory`… */
export function fileErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
