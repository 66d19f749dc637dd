// vitest globalSetup of the e2e suite: checks the machine, brings the lab fleet up with
// lab.sh, hands its inventory to the tests, and ALWAYS takes it down again — after the run,
// after a failed `up`, and on SIGINT/SIGTERM. (run-e2e.sh traps the same on the shell side.)
//
// E2E_FLEET=reuse tests a fleet that is already up (`lab.sh up`) and leaves it up.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { cliPath } from '../helpers/run-cli.js';
import { labFleetInfo, labScript } from './fleet-config.js';

function lab(args: string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [labScript, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', resolve);
  });
}

/** Synchronous, so that it also works from a signal handler. */
function labDownSync(): void {
  spawnSync('bash', [labScript, 'down'], { stdio: ['ignore', 'inherit', 'inherit'] });
}

function hostsUp(stateDir: string): string[] {
  const dir = join(stateDir, 'hosts');
  return existsSync(dir) ? readdirSync(dir) : [];
}

/** The end of every host's logs (nspawn, sshd, drive): what a failed `up` leaves to read before `down`. */
function printHostLogs(stateDir: string): void {
  for (const host of hostsUp(stateDir)) {
    const dir = join(stateDir, 'hosts', host);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.log'))) {
      const lines = readFileSync(join(dir, file), 'utf8').trimEnd().split('\n').slice(-15);
      process.stderr.write(`--- ${host}/${file} (last ${lines.length} lines)\n${lines.join('\n')}\n`);
    }
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const info = labFleetInfo();
  const reuse = process.env.E2E_FLEET === 'reuse';

  const check = spawnSync('bash', [labScript, 'check'], { encoding: 'utf8' });
  if (check.status !== 0) {
    throw new Error(`the e2e suite cannot run on this machine; nothing was tested.\n${check.stderr}${check.stdout}`);
  }
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`npm run build\` (npm run test:e2e does it)`);

  if (reuse) {
    if (!existsSync(info.inventory)) throw new Error(`E2E_FLEET=reuse, but no fleet is up (${info.inventory} is missing): run test/e2e/lab/lab.sh up`);
  } else {
    const up = hostsUp(info.stateDir);
    if (up.length > 0) {
      // Not ours to take down: somebody's fleet, or the leftovers of a killed run.
      throw new Error(
        `a lab fleet is already up in ${info.stateDir} (${up.join(', ')}): run \`test/e2e/lab/lab.sh down\`, ` +
          'or set E2E_FLEET=reuse to test it as it is',
      );
    }
    const onSignal = (signal: NodeJS.Signals) => {
      process.stderr.write(`\ne2e: ${signal}: taking the lab fleet down\n`);
      labDownSync();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const code = await lab(['up']);
    if (code !== 0) {
      printHostLogs(info.stateDir);
      labDownSync();
      throw new Error(`lab.sh up failed (exit ${code}); the fleet was taken down again (host logs above; image logs stay in ${info.stateDir}/images)`);
    }
  }

  project.provide('labFleet', info);
  return async () => {
    if (reuse) return;
    const code = await lab(['down']);
    if (code !== 0) throw new Error(`lab.sh down failed (exit ${code})`);
  };
}
