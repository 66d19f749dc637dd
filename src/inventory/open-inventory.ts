// The `-i` value: our YAML inventory by default, `ansible:FILE` for an Ansible inventory; and
// under either, the user's OpenSSH client config (`-F FILE`, else ~/.ssh/config if there is one,
// `-F none` for none). The Ansible reader and the ssh_config parser are imported only when a
// run needs them, and a very large inventory is read in a worker thread (see below).
import { stat, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../model/config-error.js';
import { loadInventory, type Inventory, type InventoryOptions } from './load-inventory.js';
import type { SshConfigLookup } from './ssh-config.js';

/** Same value as load-ansible-inventory's; kept here so that choosing the reader loads neither. */
const ansiblePrefix = 'ansible:';

/**
 * Inventory files at least this large are parsed, validated and resolved in a worker thread.
 * Why: `yaml` keeps a document with every node and its source range, about 100 bytes of heap
 * per byte of file (a dry run of the 10,000-host bench inventory, 555 KB, peaks at 150 MB of RSS
 * against 62 MB for one host). When V8's first full collections happen during that parse, V8
 * sizes the main heap's next limit from it, and the audit's own short-lived garbage then grows
 * to that size: the 10,000-host audit peaked at 280 MB read here, 165 MB read in a worker. A
 * worker's heap goes away with the worker, and only the resolved hosts (plain data) come back.
 * Why 256 KiB (~4,600 hosts of one line each): from there the parse costs ~0.7 s of CPU, and
 * the worker's own start-up (a second isolate that loads yaml and the inventory modules again,
 * ~60 ms of CPU) is under a tenth of it; a small inventory is cheaper to read here.
 */
export const workerThresholdBytes = 256 * 1024;

export interface OpenOptions extends InventoryOptions {
  /** `-F`: a file, `none`, or undefined for ~/.ssh/config when it exists. */
  sshConfigFile?: string;
  /** Files of this size or more go to a worker thread; default workerThresholdBytes (0: always, Infinity: never). */
  workerThresholdBytes?: number;
}

/** What a worker can be given: no functions (fileExists, sshConfig), which a thread cannot share. */
export type WorkerOpenOptions = Omit<OpenOptions, 'fileExists' | 'sshConfig' | 'workerThresholdBytes'>;

async function readSshConfig(spec: string | undefined, homeDir: string): Promise<SshConfigLookup | undefined> {
  if (spec === 'none') return undefined;
  const file = spec ?? path.join(homeDir, '.ssh', 'config');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    // The default file is optional, as for ssh; a file named with -F must be there.
    if (spec === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError({ path: spec === undefined ? undefined : '-F', file, message: `cannot read the OpenSSH client config: ${error instanceof Error ? error.message : String(error)}`, hint: '-F none ignores ssh_config' });
  }
  // Only now: most audits have no ssh_config, and its parser is a package of its own.
  const { sshConfigLookup } = await import('./ssh-config.js');
  return sshConfigLookup(text, file, homeDir);
}

/** The inventory read in this thread, whatever its size (the worker runs this too). */
export async function openInventoryHere(spec: string, options: OpenOptions = {}): Promise<Inventory> {
  const { sshConfigFile, workerThresholdBytes: _threshold, ...rest } = options;
  const sshConfig = rest.sshConfig ?? (await readSshConfig(sshConfigFile, rest.homeDir ?? os.homedir()));
  const withConfig: InventoryOptions = sshConfig === undefined ? rest : { ...rest, sshConfig };
  if (spec.startsWith(ansiblePrefix)) {
    const { loadAnsibleInventory } = await import('./load-ansible-inventory.js');
    return loadAnsibleInventory(spec.slice(ansiblePrefix.length), withConfig);
  }
  return loadInventory(spec, withConfig);
}

/** The file's size, or undefined when it cannot be read: the in-process path then says why. */
async function fileSize(file: string): Promise<number | undefined> {
  try {
    const info = await stat(file);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

export async function openInventory(spec: string, options: OpenOptions = {}): Promise<Inventory> {
  const { workerThresholdBytes: threshold = workerThresholdBytes, fileExists, sshConfig, ...plain } = options;
  // Injected functions (tests) cannot cross into a thread: those runs stay here.
  if (fileExists === undefined && sshConfig === undefined && threshold !== Infinity) {
    const size = await fileSize(spec.startsWith(ansiblePrefix) ? spec.slice(ansiblePrefix.length) : spec);
    if (size !== undefined && size >= threshold) {
      const { openInventoryInWorker } = await import('./open-in-worker.js');
      return openInventoryInWorker(spec, plain);
    }
  }
  return openInventoryHere(spec, options);
}
