// Guards that transport tests leave no TCP socket or server behind.
import { setTimeout as sleep } from 'node:timers/promises';

function tcpResources(): string[] {
  return process.getActiveResourcesInfo().filter((resource) => resource.startsWith('TCP'));
}

/** Throws if TCP handles are still open after a short grace period (closing is asynchronous). */
export async function expectNoOpenTcpHandles(graceMs = 1_000): Promise<void> {
  const deadline = performance.now() + graceMs;
  while (tcpResources().length > 0) {
    if (performance.now() > deadline) throw new Error(`TCP handles still open: ${tcpResources().join(', ')}`);
    await sleep(10);
  }
}
