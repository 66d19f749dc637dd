// The terminal prompt for a key's passphrase: no echo, editing keys, Ctrl-C, and no prompt at
// all without a terminal.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readHidden, terminalPassphrasePrompt, type PromptTerminal } from '../../src/cli/passphrase-prompt.js';

function fakeTerminal(isTTY = true): { terminal: PromptTerminal; type: (keys: string) => void; written: () => string; raw: boolean[]; interrupts: () => number } {
  const raw: boolean[] = [];
  const input = Object.assign(new PassThrough(), { isTTY, setRawMode: (on: boolean) => raw.push(on) });
  const output = Object.assign(new PassThrough(), { isTTY });
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  let interrupts = 0;
  return { terminal: { input, output, onInterrupt: () => (interrupts += 1) }, type: (keys) => input.write(keys), written: () => text, raw, interrupts: () => interrupts };
}

describe('passphrase prompt', () => {
  it('reads a line without echoing it, with backspace, in raw mode only while asking', async () => {
    const t = fakeTerminal();
    const answer = readHidden(t.terminal, 'Enter passphrase for key /k: ');
    t.type('correct horsf\u007fe');
    t.type('\r');
    expect(await answer).toBe('correct horse');
    expect(t.written()).toBe('Enter passphrase for key /k: \n');
    expect(t.raw).toEqual([true, false]);
  });

  it('gives up on Ctrl-C and passes the interrupt on; Ctrl-D on an empty line is no answer', async () => {
    const t = fakeTerminal();
    const interrupted = readHidden(t.terminal, '? ');
    t.type('abc\u0003');
    expect(await interrupted).toBeUndefined();
    expect(t.interrupts()).toBe(1);
    const eof = readHidden(t.terminal, '? ');
    t.type('\u0004');
    expect(await eof).toBeUndefined();
  });

  it('is not offered without a terminal (CI, pipes)', () => {
    expect(terminalPassphrasePrompt(fakeTerminal(false).terminal)).toBeUndefined();
    expect(terminalPassphrasePrompt(fakeTerminal(true).terminal)).toBeTypeOf('function');
  });
});
