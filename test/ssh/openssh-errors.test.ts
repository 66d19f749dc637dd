import { describe, expect, it } from 'vitest';
import { classifySshStderr } from '../../src/ssh/openssh-errors.js';

// What OpenSSH 9.x prints at LogLevel=ERROR for each failure.
describe('classifySshStderr', () => {
  it.each([
    ['No ED25519 host key is known for [127.0.0.1]:2222 and you have requested strict checking.\nHost key verification failed.', 'host-key-unknown'],
    [
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\nHost key for [127.0.0.1]:2222 has changed and you have requested strict checking.\nHost key verification failed.',
      'host-key-mismatch',
    ],
    ['audit@127.0.0.1: Permission denied (publickey).', 'auth-failed'],
    ['ssh: Could not resolve hostname nowhere.invalid: Name or service not known', 'dns'],
    ['ssh: connect to host 127.0.0.1 port 1: Connection refused', 'refused'],
    ['ssh: connect to host 10.255.255.1 port 22: No route to host', 'unreachable'],
    ['ssh: connect to host 10.255.255.1 port 22: Connection timed out', 'connect-timeout'],
    ['Connection timed out during banner exchange', 'connect-timeout'],
    ['kex_exchange_identification: read: Connection reset by peer', 'ssh-error'],
    // Through a jump host (ProxyCommand ssh -W): its channel failure, then the outer client's words.
    ['channel 0: open failed: connect failed: Connection refused\nstdio forwarding failed\nConnection closed by UNKNOWN port 65535', 'refused'],
    ['channel 0: open failed: connect failed: \nstdio forwarding failed\nConnection closed by UNKNOWN port 65535', 'unreachable'],
    ['channel 0: open failed: administratively prohibited: open failed\nstdio forwarding failed\nConnection closed by UNKNOWN port 65535', 'ssh-error'],
  ])('%j → %s', (stderr, reason) => {
    expect(classifySshStderr(stderr)?.reason).toBe(reason);
  });

  it('marks resets before the handshake as transient, and names no failure for a command\'s own exit 255', () => {
    expect(classifySshStderr('kex_exchange_identification: Connection closed by remote host\nConnection closed by 127.0.0.1 port 2222')?.transient).toBe(true);
    expect(classifySshStderr('audit@h: Permission denied (publickey).')?.transient).toBe(false);
    expect(classifySshStderr('')).toBeUndefined();
    expect(classifySshStderr('my-script: failed\n')).toBeUndefined();
  });
});
