// The `-i` value: our YAML inventory by default, `ansible:FILE` for an Ansible inventory; and
// under either, the user's OpenSSH client config (`-F FILE`, else ~/.ssh/config if there is one,
// `-F none` for none).
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../model/config-error.js';
import { ansiblePrefix, loadAnsibleInventory } from './load-ansible-inventory.js';
import { loadInventory, type Inventory, type InventoryOptions } from './load-inventory.js';
import { sshConfigLookup, type SshConfigLookup } from './ssh-config.js';

export interface OpenOptions extends InventoryOptions {
  /** `-F`: a file, `none`, or undefined for ~/.ssh/config when it exists. */
  sshConfigFile?: string;
}

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
  return sshConfigLookup(text, file, homeDir);
}

export async function openInventory(spec: string, options: OpenOptions = {}): Promise<Inventory> {
  const { sshConfigFile, ...rest } = options;
  const sshConfig = rest.sshConfig ?? (await readSshConfig(sshConfigFile, rest.homeDir ?? os.homedir()));
  const withConfig: InventoryOptions = sshConfig === undefined ? rest : { ...rest, sshConfig };
  return spec.startsWith(ansiblePrefix) ? loadAnsibleInventory(spec.slice(ansiblePrefix.length), withConfig) : loadInventory(spec, withConfig);
}
