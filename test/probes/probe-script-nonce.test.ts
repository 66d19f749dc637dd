import { describe, expect, it } from 'vitest';
import { buildProbe, probeScriptNonce } from '../../src/probes/probe-script.js';

describe('probeScriptNonce', () => {
  it('reads back the nonce a probe script was built with', () => {
    expect(probeScriptNonce(buildProbe('abcDEF_123-x').script)).toBe('abcDEF_123-x');
  });

  it('finds none in a script that is not the probe', () => {
    expect(probeScriptNonce('echo hello\nM=nothing\n')).toBeUndefined();
  });
});
