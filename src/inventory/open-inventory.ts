// The `-i` value: our YAML inventory by default, `ansible:FILE` for an Ansible inventory.
import { ansiblePrefix, loadAnsibleInventory } from './load-ansible-inventory.js';
import { loadInventory, type Inventory, type InventoryOptions } from './load-inventory.js';

export function openInventory(spec: string, options: InventoryOptions = {}): Promise<Inventory> {
  return spec.startsWith(ansiblePrefix) ? loadAnsibleInventory(spec.slice(ansiblePrefix.length), options) : loadInventory(spec, options);
}
