// `-i ansible:FILE`: an Ansible inventory, INI or YAML (by extension, else by a look at the
// text), read into the same Inventory as our own format.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../model/config-error.js';
import { ansibleToValidated } from './ansible-hosts.js';
import { parseAnsibleIni } from './ansible-ini.js';
import { parseAnsibleYaml } from './ansible-yaml.js';
import { environmentFrom, type Inventory, type InventoryOptions } from './load-inventory.js';
import { resolveHosts } from './resolve-hosts.js';


function looksLikeYaml(file: string, text: string): boolean {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.yml' || ext === '.yaml' || ext === '.json') return true;
  if (ext === '.ini' || ext === '.cfg') return false;
  // Extension-less files (`hosts`, `inventory`): YAML starts with `group:` or `---`, INI does not.
  const firstLine = text.split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#') && !l.startsWith(';')) ?? '';
  return firstLine === '---' || firstLine.startsWith('{') || /^[\w.-]+:\s*$/.test(firstLine);
}

export function parseAnsibleInventory(text: string, file: string, options: InventoryOptions = {}): Inventory {
  const environment = environmentFrom(options);
  const data = looksLikeYaml(file, text) ? parseAnsibleYaml(text, file) : parseAnsibleIni(text, file);
  const validated = ansibleToValidated(data, { homeDir: environment.homeDir, baseDir: path.dirname(file) });
  const { hosts, problems } = resolveHosts(validated, environment, 'set ansible_user in [all:vars]');
  if (problems.length > 0) throw new ConfigError(problems.map((p) => ({ file, ...p })));
  const groups = [...new Set(hosts.flatMap((h) => h.groups))];
  return { file, hosts, groups };
}

export async function loadAnsibleInventory(file: string, options: InventoryOptions = {}): Promise<Inventory> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError({ file, message: `cannot read inventory: ${error instanceof Error ? error.message : String(error)}` });
  }
  return parseAnsibleInventory(text, file, options);
}
