// The host key policy of one connection: which host key algorithms to ask for, and whether
// the key the server offers is trusted. Host keys are always verified; the only relaxation is
// accept-new (record the key of a host seen for the first time), never for a changed key.
import type { ServerHostKeyAlgorithm } from 'ssh2';
import type { SshEndpoint } from '../model/types.js';
import { describeKey } from './fingerprint.js';
import { checkHostKey, knownHostsName, knownKeyTypes, type KnownHostEntry } from './known-hosts.js';

export type HostKeyDecision =
  | { accept: true; /** A new host under accept-new: record the key once it is proven. */ record: boolean }
  | { accept: false; reason: 'host-key-unknown' | 'host-key-mismatch'; detail: string };

// ssh2 negotiates signature algorithms, not key types: one ssh-rsa key serves three of them.
const algorithmsByKeyType: Record<string, readonly ServerHostKeyAlgorithm[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  'ssh-dss': ['ssh-dss'],
};

// ssh2's own default order (it leaves out ssh-dss), used after the known types.
const defaultAlgorithms: readonly ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/**
 * Host key algorithms to offer, those of the keys already known for the host first. A server
 * with several host keys then presents one we can verify, as OpenSSH arranges it; the others
 * stay in the list so that a server which no longer has that key is reported as a mismatch
 * rather than as an opaque "no matching host key format" handshake failure.
 * Undefined when nothing is known: ssh2's defaults apply.
 */
export function preferredHostKeyAlgorithms(knownTypes: readonly string[]): ServerHostKeyAlgorithm[] | undefined {
  const preferred = knownTypes.flatMap((type) => algorithmsByKeyType[type] ?? []);
  if (preferred.length === 0) return undefined;
  return [...new Set([...preferred, ...defaultAlgorithms])];
}

export class HostKeyCheck {
  readonly name: string;
  readonly preferredAlgorithms: ServerHostKeyAlgorithm[] | undefined;

  constructor(
    private readonly host: SshEndpoint,
    private readonly entries: readonly KnownHostEntry[],
    private readonly acceptNew: boolean,
  ) {
    this.name = knownHostsName(host.address, host.port);
    this.preferredAlgorithms = preferredHostKeyAlgorithms(knownKeyTypes(entries, this.name));
  }

  verify(keyBlob: Buffer): HostKeyDecision {
    const verdict = checkHostKey(this.entries, this.name, keyBlob);
    const offered = describeKey(keyBlob);
    switch (verdict.status) {
      case 'match':
        return { accept: true, record: false };
      case 'unknown':
        if (this.acceptNew && this.host.knownHostsFiles.length > 0) return { accept: true, record: true };
        return { accept: false, reason: 'host-key-unknown', detail: this.unknownDetail(offered) };
      case 'mismatch':
        if (verdict.revokedBy !== null) {
          return {
            accept: false,
            reason: 'host-key-mismatch',
            detail: `host key ${offered} offered by ${this.name} is marked @revoked in ${verdict.revokedBy.source}; refusing to connect`,
          };
        }
        return {
          accept: false,
          reason: 'host-key-mismatch',
          detail:
            `host key for ${this.name} has changed: offered ${offered}, known ` +
            verdict.known.map((entry) => `${describeKey(entry.keyBlob)} (${entry.source})`).join(', ') +
            `; possible man-in-the-middle or a reinstalled host. If the change is expected, remove the old key with ssh-keygen -R '${this.name}'`,
        };
    }
  }

  private unknownDetail(offered: string): string {
    const files = this.host.knownHostsFiles;
    if (files.length === 0) {
      return `host ${this.name} offered ${offered}, but no known_hosts file is configured to verify it against`;
    }
    const portFlag = this.host.port === 22 ? '' : `-p ${this.host.port} `;
    return (
      `host ${this.name} is not in ${files.join(', ')}; it offered ${offered}. ` +
      `Verify the fingerprint, then add it with ssh-keyscan ${portFlag}${this.host.address} >> ${files[0]} ` +
      `or run with --accept-new-host-keys`
    );
  }
}
