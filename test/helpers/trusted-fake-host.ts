// The usual arrangement for transport tests: a fake host, a client key it authorizes, a
// known_hosts file that trusts it, and a HostTarget pointing at it, all in one temp dir.
import { writeFile } from 'node:fs/promises';
import { onTestFinished } from 'vitest';
import { startFakeHost, type FakeHost, type FakeHostOptions } from '../../src/demo/fake-host.js';
import type { HostTarget } from '../../src/model/types.js';
import { makeHostTarget } from './host-target.js';
import { writeTestKey, type TestKey, type TestKeyOptions, type TestKeyType } from './ssh-keys.js';
import { makeTempDir, type TempDir } from './temp-dir.js';

export interface TrustedFakeHostOptions {
  onExec: FakeHostOptions['onExec'];
  hostKey?: FakeHostOptions['hostKey'];
  keyType?: TestKeyType;
  keyOptions?: TestKeyOptions;
  /** Write the host into known_hosts (default true). */
  trusted?: boolean;
  target?: Partial<HostTarget>;
}

export interface TrustedFakeHost {
  fakeHost: FakeHost;
  host: HostTarget;
  clientKey: TestKey;
  knownHostsFile: string;
  dir: TempDir;
  /** Close the fake host and remove the temp dir. */
  close(): Promise<void>;
}

export async function startTrustedFakeHost(options: TrustedFakeHostOptions): Promise<TrustedFakeHost> {
  const dir = await makeTempDir();
  const clientKey = await writeTestKey(dir.file('id_client'), options.keyType ?? 'ed25519', options.keyOptions);
  const fakeHost = await startFakeHost({
    ...(options.hostKey === undefined ? {} : { hostKey: options.hostKey }),
    authorizedKeys: [clientKey.publicKey],
    onExec: options.onExec,
  });
  const knownHostsFile = dir.file('known_hosts');
  if (options.trusted ?? true) await writeFile(knownHostsFile, `${fakeHost.knownHostsLine()}\n`);
  const host = makeHostTarget({
    port: fakeHost.port,
    identityFiles: [clientKey.file],
    knownHostsFiles: [knownHostsFile],
    ...options.target,
  });
  return {
    fakeHost,
    host,
    clientKey,
    knownHostsFile,
    dir,
    close: async () => {
      await fakeHost.close();
      await dir.remove();
    },
  };
}

/** startTrustedFakeHost, closed automatically when the current test finishes. */
export async function useTrustedFakeHost(options: TrustedFakeHostOptions): Promise<TrustedFakeHost> {
  const setup = await startTrustedFakeHost(options);
  onTestFinished(() => setup.close());
  return setup;
}
