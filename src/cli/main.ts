#!/usr/bin/env node
// The executable. The only place that touches process.argv, signals and the exit code.
import { runCli } from './program.js';

const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stderr.write('\nsockaudit: interrupted; finishing the report with the hosts done so far (Ctrl-C again to quit now)\n');
  controller.abort();
});

const exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
});
process.exitCode = exitCode;
