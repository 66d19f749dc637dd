import { ConfigError, formatConfigIssue, type ConfigIssue } from '../../src/model/config-error.js';
import { parseInventory, type InventoryOptions } from '../../src/inventory/load-inventory.js';

export const home = '/home/tester';

/** A machine where only ~/.ssh/id_ecdsa exists and no agent runs. */
export function testOptions(env: NodeJS.ProcessEnv = {}): InventoryOptions {
  return {
    env: { HOME: home, ...env },
    homeDir: home,
    userName: 'tester',
    fileExists: (file) => file === `${home}/.ssh/id_ecdsa`,
  };
}

/** The issues of the ConfigError `run` throws; fails the test when it throws nothing else. */
export function issuesOf(run: () => unknown): ConfigIssue[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

/** Every issue as the CLI prints its first line, without hints. */
export function errorLines(text: string, file = 'inventory.yaml', env: NodeJS.ProcessEnv = {}): string[] {
  return issuesOf(() => parseInventory(text, file, testOptions(env))).map((issue) => formatConfigIssue({ ...issue, hint: undefined }));
}

export function lines(...rows: string[]): string {
  return `${rows.join('\n')}\n`;
}
