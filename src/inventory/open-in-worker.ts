// Reads an inventory in a worker thread (inventory-worker.ts) and gives back what the
// in-process path would: the same Inventory, or the same ConfigError with the same issues.
// Why a thread at all: see workerThresholdBytes in open-inventory.ts.
import { Worker } from 'node:worker_threads';
import { ConfigError } from '../model/config-error.js';
import type { WorkerReply, WorkerRequest } from './inventory-worker.js';
import type { Inventory } from './load-inventory.js';
import type { WorkerOpenOptions } from './open-inventory.js';

const workerUrl = new URL('./inventory-worker.js', import.meta.url);

function fromReply(reply: WorkerReply): Inventory {
  if (reply.kind === 'inventory') return reply.inventory;
  if (reply.kind === 'config-error') throw new ConfigError(reply.issues);
  // Not a mistake in the file but a fault of ours: keep its stack for the internal-error message.
  const error = new Error(reply.message);
  if (reply.stack !== undefined) error.stack = reply.stack;
  throw error;
}

export function openInventoryInWorker(spec: string, options: WorkerOpenOptions): Promise<Inventory> {
  const request: WorkerRequest = { spec, options };
  return new Promise<Inventory>((resolve, reject) => {
    // Its own copy of the environment is given explicitly (options.env): nothing else is shared.
    const worker = new Worker(workerUrl, { workerData: request, stdout: false, stderr: false });
    let settled = false;
    worker.once('message', (reply: WorkerReply) => {
      settled = true;
      try {
        resolve(fromReply(reply));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the inventory worker exited with code ${code} without an answer`));
    });
  });
}
