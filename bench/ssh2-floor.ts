// The floor of the benchmark: the least a Node program can do to run the probe on every host
// with ssh2 — connect (setNoDelay), check the host key against the one expected, public-key
// auth, exec `sh -s` with the probe on stdin, keep the output, close — with p-limit for the
// fan-out. No inventory, no parsing, no report: what sockaudit adds on top is measured
// against this.
//
//   node ssh2-floor.js PLAN.json
//
// PLAN.json is a FloorPlan (see bench/lib/fleet-files.ts). Prints one JSON line with the
// counts on stdout.
import { readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import pLimit from 'p-limit';
import ssh2 from 'ssh2';
import type { FloorPlan } from './lib/fleet-files.js';

const { Client } = ssh2;

function runOne(plan: FloorPlan, address: string, port: number, privateKey: Buffer, hostKey: Buffer, script: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = new Socket();
    sock.setNoDelay(true);
    const client = new Client();
    let done = false;
    const finish = (ok: boolean): void => {
      if (done) return;
      done = true;
      client.end();
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), plan.timeoutMs);
    client.on('error', () => finish(false));
    client.on('close', () => finish(false));
    client.on('ready', () => {
      client.exec(plan.command, (error, channel) => {
        if (error !== undefined && error !== null) return finish(false);
        const chunks: Buffer[] = [];
        let code: number | null = null;
        channel.on('data', (chunk: Buffer) => chunks.push(chunk));
        channel.stderr.resume();
        channel.on('exit', (exitCode: number | null) => (code = exitCode));
        channel.on('close', () => {
          clearTimeout(timer);
          const output = Buffer.concat(chunks).toString('utf8');
          finish(code === 0 && output.includes(plan.successMarker));
        });
        channel.end(script);
      });
    });
    sock.connect({ host: address, port });
    let offered = false;
    client.connect({
      sock,
      username: plan.user,
      readyTimeout: 0,
      hostVerifier: (key: Buffer) => key.equals(hostKey),
      // Public key only, like sockaudit: trying `none` first would cost a round trip.
      authHandler: (_methods, _partial, next) => {
        if (offered) return next(false as unknown as ssh2.AuthenticationType);
        offered = true;
        next({ type: 'publickey', username: plan.user, key: privateKey });
      },
    });
  });
}

async function main(): Promise<void> {
  const planFile = process.argv[2];
  if (planFile === undefined) throw new Error('usage: ssh2-floor PLAN.json');
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as FloorPlan;
  const privateKey = readFileSync(plan.identityFile);
  const hostKey = Buffer.from(plan.hostKeyBase64, 'base64');
  const script = readFileSync(plan.scriptFile, 'utf8');
  const limit = pLimit(plan.concurrency);
  const results = await Promise.all(plan.hosts.map((h) => limit(() => runOne(plan, h.address, h.port, privateKey, hostKey, script))));
  const ok = results.filter(Boolean).length;
  process.stdout.write(`${JSON.stringify({ hosts: results.length, ok, failed: results.length - ok })}\n`);
}

await main();
