// The worker thread's entry (started by open-in-worker.ts): reads one inventory with the same
// code as the in-process path and posts back plain data only — the resolved hosts, or a
// ConfigError's issues — then ends, taking the YAML document's heap with it.
import { parentPort, workerData } from 'node:worker_threads';
import { ConfigError, type ConfigIssue } from '../model/config-error.js';
import type { Inventory } from './load-inventory.js';
import { openInventoryHere, type WorkerOpenOptions } from './open-inventory.js';

export interface WorkerRequest {
  spec: string;
  options: WorkerOpenOptions;
}

export type WorkerReply =
  | { kind: 'inventory'; inventory: Inventory }
  | { kind: 'config-error'; issues: ConfigIssue[] }
  | { kind: 'internal-error'; message: string; stack?: string };

async function answer(request: WorkerRequest): Promise<WorkerReply> {
  try {
    return { kind: 'inventory', inventory: await openInventoryHere(request.spec, request.options) };
  } catch (error) {
    // ConfigIssue objects are plain data: the main thread rebuilds the same ConfigError.
    if (error instanceof ConfigError) return { kind: 'config-error', issues: error.issues.map((issue) => ({ ...issue })) };
    if (error instanceof Error) return { kind: 'internal-error', message: error.message, ...(error.stack === undefined ? {} : { stack: error.stack }) };
    return { kind: 'internal-error', message: String(error) };
  }
}

if (parentPort !== null) parentPort.postMessage(await answer(workerData as WorkerRequest));
