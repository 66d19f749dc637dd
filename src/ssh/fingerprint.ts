// Helpers for SSH public key blobs (the wire format: string type, then type-specific fields),
// shared by known_hosts matching, host key messages and the fake host.
import { createHash } from 'node:crypto';

/**
 * The key type named inside a public key blob (`ssh-ed25519`, `ssh-rsa`, …): the first
 * length-prefixed string. Null when the blob is too short to hold one.
 */
export function keyTypeOfBlob(blob: Buffer): string | null {
  if (blob.length < 4) return null;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) return null;
  return blob.toString('latin1', 4, 4 + length);
}

/** OpenSSH's fingerprint format, as `ssh-keygen -l` and `ssh` print it: `SHA256:` + unpadded base64. */
export function sha256Fingerprint(blob: Buffer): string {
  const digest = createHash('sha256').update(blob).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/** `ssh-ed25519 SHA256:…`: how messages name a key. */
export function describeKey(blob: Buffer): string {
  return `${keyTypeOfBlob(blob) ?? 'unknown-type'} ${sha256Fingerprint(blob)}`;
}

/** The public half in OpenSSH's one-line form, `type base64`, as known_hosts and authorized_keys hold it. */
export function openSshPublicKey(blob: Buffer): string {
  return `${keyTypeOfBlob(blob) ?? 'unknown-type'} ${blob.toString('base64')}`;
}
