#!/usr/bin/env node
// The executable. The only place that touches process.argv, signals and the exit code.
import { terminalPassphrasePrompt } from './passphrase-prompt.js';
import { runCli } from './program.js';

const controller = new AbortController();
let interrupted = false;
// Ctrl-C or a supervisor's SIGTERM (CI timeout, systemd stop): stop connecting, close what is
// open and still write the report. A second signal ends the process by that signal at once:
// re-raised with the default action rather than process.exit(), which would first wait for
// any blocked file operation (a report on a hung network mount, a FIFO) to return.
const onSignal = (signal: 'SIGINT' | 'SIGTERM'): void => {
  if (interrupted) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    return;
  }
  interrupted = true;
  process.stderr.write(`\nsockaudit: ${signal === 'SIGINT' ? 'interrupted' : 'terminated'}; finishing the report with the hosts done so far (${signal === 'SIGINT' ? 'Ctrl-C' : 'signal'} again to quit now)\n`);
  controller.abort(new Error(`run interrupted by ${signal}`));
};
// `sockaudit … | head`: the reader went away, so nobody wants the rest. Stop quietly, as cat
// does, instead of dying on an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));

// Raw mode swallows Ctrl-C at the prompt; it is passed on as the signal it would have been.
const askPassphrase = terminalPassphrasePrompt({ input: process.stdin, output: process.stderr, onInterrupt: () => onSignal('SIGINT') });
const exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  signal: controller.signal,
  ...(askPassphrase === undefined ? {} : { askPassphrase }),
});
process.exitCode = exitCode;
