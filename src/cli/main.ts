#!/usr/bin/env node
// The executable. The only place that touches process.argv, signals and the exit code.
import { runCli } from './program.js';

const controller = new AbortController();
let interrupted = false;
// Ctrl-C or a supervisor's SIGTERM (CI timeout, systemd stop): stop connecting, close what is
// open and still write the report; a second signal quits at once (128 + signal number).
const onSignal = (signal: 'SIGINT' | 'SIGTERM', code: number): void => {
  if (interrupted) process.exit(code);
  interrupted = true;
  process.stderr.write(`\nsockaudit: ${signal === 'SIGINT' ? 'interrupted' : 'terminated'}; finishing the report with the hosts done so far (${signal === 'SIGINT' ? 'Ctrl-C' : 'signal'} again to quit now)\n`);
  controller.abort(new Error(`run interrupted by ${signal}`));
};
process.on('SIGINT', () => onSignal('SIGINT', 130));
process.on('SIGTERM', () => onSignal('SIGTERM', 143));

const exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  signal: controller.signal,
});
process.exitCode = exitCode;
