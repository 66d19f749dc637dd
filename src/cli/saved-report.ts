// Reading a report an earlier run saved (--baseline, `report`, `diff`, `merge`): one wording for
// a file that cannot be read, each command saying what it wanted the file for.
import { readFile } from 'node:fs/promises';
import { ConfigError, fileErrorText, type ConfigIssue } from '../model/config-error.js';
import type { FleetReport } from '../model/types.js';
import { readFleetReport } from '../report/read-fleet-report.js';

export interface SavedReportRole {
  /** `the baseline`, `the old run`, `the report`: in "cannot read …". */
  what: string;
  /** How to make such a file. */
  hint: string;
  /** The flag that named the file, when one did (`--baseline`). */
  path?: string;
}

export async function readSavedText(file: string, role: SavedReportRole): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const issue: ConfigIssue = { file, message: `cannot read ${role.what}: ${fileErrorText(error)}`, hint: role.hint };
    if (role.path !== undefined) issue.path = role.path;
    throw new ConfigError(issue);
  }
}

export async function readSavedReport(file: string, role: SavedReportRole): Promise<FleetReport> {
  return readFleetReport(await readSavedText(file, role), file);
}
