// The inventory room's public surface; other rooms import from here or from the named files.
export { loadInventory, parseInventory, type Inventory, type InventoryOptions } from './load-inventory.js';
export { selectHosts } from './select-hosts.js';
export { durationExpectation, parseDuration } from './duration.js';
