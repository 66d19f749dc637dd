// `sockaudit demo`: the real audit, against the built-in demo fleet.
import { join } from 'node:path';
import { auditCommand, type AuditFlags, type CliIo } from './audit-command.js';

export async function demoCommand(flags: Omit<AuditFlags, 'inventory'>, io: CliIo): Promise<number> {
  // Loaded here, not at start-up: the in-process SSH servers and key generation are only for
  // the demo, and every `audit` run would pay for loading them.
  const { startDemoFleet } = await import('../demo/demo-fleet.js');
  const fleet = await startDemoFleet();
  const jsonReport = join(fleet.dir, 'report.json');
  try {
    io.stderr.write(`sockaudit demo: ${fleet.inventoryFile} lists ${fleet.hostCount} in-process SSH hosts on 127.0.0.1; auditing them…\n\n`);
    const exitCode = await auditCommand({ ...flags, inventory: fleet.inventoryFile, report: [...flags.report, `json:${jsonReport}`] }, io);
    if (!flags.dryRun) io.stderr.write(`\nsockaudit demo: JSON report written to ${jsonReport} (exit code ${exitCode})\n`);
    return exitCode;
  } finally {
    await fleet.close();
  }
}
