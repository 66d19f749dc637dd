// Asking for a key's passphrase on the terminal, as ssh does, when no passphrase variable
// unlocks an encrypted key. Only on a terminal: in CI or under a pipe nobody can answer, and
// the key is reported as unusable instead of the run waiting forever.
import type { PassphrasePrompt } from '../ssh/credentials.js';

/** The terminal: a readable stream that can be put in raw mode, and where to write the question. */
export interface PromptTerminal {
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  output: NodeJS.WritableStream & { isTTY?: boolean };
  /** Ctrl-C at the prompt: the key is given up and the run interrupted as Ctrl-C anywhere would. */
  onInterrupt: () => void;
}

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = ['\u007f', '\b'];

/** A prompt that reads without echo, or undefined when there is no terminal to ask on. */
export function terminalPassphrasePrompt(terminal: PromptTerminal): PassphrasePrompt | undefined {
  const { input, output } = terminal;
  if (input.isTTY !== true || output.isTTY !== true) return undefined;
  return (file) => readHidden(terminal, `Enter passphrase for key ${file}: `);
}

/** Reads one line with echo off (raw mode), handling backspace, Ctrl-C and Ctrl-D. */
export function readHidden({ input, output, onInterrupt }: PromptTerminal, question: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    let typed = '';
    output.write(question);
    input.setRawMode?.(true);
    input.resume();
    const finish = (answer: string | undefined): void => {
      input.removeListener('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      resolve(answer);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') return finish(typed);
        if (ch === CTRL_D) return finish(typed === '' ? undefined : typed);
        if (ch === CTRL_C) {
          finish(undefined);
          return onInterrupt();
        }
        if (BACKSPACE.includes(ch)) typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    input.on('data', onData);
  });
}
