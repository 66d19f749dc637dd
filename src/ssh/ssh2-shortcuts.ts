// Two things ssh2 1.x does on every connection that cost an audit of thousands of hosts time
// and CPU on both ends, changed on one client's protocol object right after connect() made it:
//
// 1. Public-key auth without the query. ssh2 first asks whether a key would be accepted
//    (USERAUTH_REQUEST without signature, answered by PK_OK), then signs: one round trip more
//    than needed. OpenSSH's client signs at once when it holds the private key (RFC 4252 §7
//    allows both); so do we for key files. Agent keys keep ssh2's query-then-sign path.
// 2. No host-key proof request. After auth, OpenSSH servers announce their other host keys
//    (hostkeys-00@openssh.com); ssh2 answers by asking the server to sign each of them, and
//    verifies every signature: server CPU (an RSA-3072 signature per connection) and client
//    CPU for keys an auditor never records (OpenSSH's client does this only for UpdateHostKeys).
//    We answer the announcement with a keepalive instead: sshd writes the announcement and the
//    channel-open confirmation as two small segments without TCP_NODELAY, so Nagle holds the
//    confirmation until our ACK, and a client with nothing to say delays its ACK by ~40 ms.
//
// Both reach into ssh2 internals (`_protocol.authPK`, `_protocol._handlers`), so each is
// applied only when the shapes are as expected; otherwise ssh2's own behaviour stays, which
// is correct, only slower. test/ssh/ssh2-shortcuts.test.ts pins both on the ssh2 in use.
import { createPrivateKey, sign as cryptoSign, type KeyObject } from 'node:crypto';
import type { Client, ParsedKey } from 'ssh2';

type SignCallback = (data: Buffer, done: (signature: Buffer) => void) => void;
type AuthPk = (username: string, key: unknown, keyAlgo?: string | SignCallback, sign?: SignCallback) => void;
type GlobalRequestHandler = (packet: unknown, name: string, wantReply: boolean, data: unknown) => void;

interface ProtocolInternals {
  authPK?: AuthPk;
  requestSuccess?: () => void;
  ping?: () => void;
  _handlers?: { GLOBAL_REQUEST?: GlobalRequestHandler };
}

export interface ShortcutsApplied {
  signAtOnce: boolean;
  skipHostKeysProof: boolean;
}

/** Call right after `client.connect(config)`: the protocol object exists, nothing is sent yet. */
export function applySsh2Shortcuts(client: Client): ShortcutsApplied {
  const protocol = (client as unknown as { _protocol?: ProtocolInternals })._protocol;
  if (protocol === undefined) return { signAtOnce: false, skipHostKeysProof: false };
  return { signAtOnce: signPublicKeyAtOnce(protocol), skipHostKeysProof: skipHostKeysProof(protocol) };
}

function signPublicKeyAtOnce(protocol: ProtocolInternals): boolean {
  const original = protocol.authPK;
  if (typeof original !== 'function') return false;
  const authPK: AuthPk = function (this: unknown, username, key, keyAlgo, sign) {
    // Already a signing call (ssh2's PK_OK path), or not a private key we hold: unchanged.
    if (sign !== undefined || typeof keyAlgo === 'function' || !isPrivateKey(key)) {
      return original.call(this, username, key, keyAlgo, sign);
    }
    const hash = hashForAlgorithm(keyAlgo);
    original.call(this, username, key, keyAlgo, (data, done) => {
      let signature: Buffer | Error;
      try {
        signature = signWith(key, data, hash);
      } catch (error) {
        signature = error instanceof Error ? error : new Error(String(error));
      }
      // Cannot sign here: fall back to ssh2's query, whose PK_OK path signs and reports errors.
      if (signature instanceof Error) return original.call(this, username, key, keyAlgo);
      done(signature);
    });
  };
  protocol.authPK = authPK;
  return true;
}

function skipHostKeysProof(protocol: ProtocolInternals): boolean {
  const handlers = protocol._handlers;
  const original = handlers?.GLOBAL_REQUEST;
  const { requestSuccess, ping } = protocol;
  if (handlers === undefined || typeof original !== 'function' || typeof requestSuccess !== 'function' || typeof ping !== 'function') {
    return false;
  }
  handlers.GLOBAL_REQUEST = (packet, name, wantReply, data) => {
    if (name !== 'hostkeys-00@openssh.com') return original(packet, name, wantReply, data);
    // The announcement needs no answer (OpenSSH sends it without want-reply); acknowledge
    // it if asked, as ssh2 does, and do not request proofs. The keepalive makes our ACK
    // leave at once (see above); sshd answers it with REQUEST_FAILURE, which ssh2 drops
    // since no global request of ours is waiting.
    if (wantReply) requestSuccess.call(protocol);
    ping.call(protocol);
  };
  return true;
}

function isPrivateKey(key: unknown): key is ParsedKey {
  if (typeof key !== 'object' || key === null) return false;
  const candidate = key as Partial<ParsedKey>;
  return typeof candidate.isPrivateKey === 'function' && typeof candidate.sign === 'function' && candidate.isPrivateKey();
}

// ssh2's ParsedKey.sign hands node:crypto the PEM text, which is decoded again on every call
// (~0.4 ms); a KeyObject made once per key signs in a tenth of that.
const keyObjects = new WeakMap<ParsedKey, KeyObject | null>();

function signWith(key: ParsedKey, data: Buffer, hash: string | undefined): Buffer | Error {
  const algorithm = hash ?? defaultHash(key.type);
  const keyObject = algorithm === undefined ? null : privateKeyObject(key);
  // Same algorithm and output as ssh2's own sign (DER for ECDSA; ssh2 converts it).
  if (algorithm !== undefined && keyObject !== null) return cryptoSign(algorithm, data, keyObject);
  return key.sign(data, hash);
}

function privateKeyObject(key: ParsedKey): KeyObject | null {
  let keyObject = keyObjects.get(key);
  if (keyObject === undefined) {
    try {
      keyObject = createPrivateKey(key.getPrivatePEM());
    } catch {
      keyObject = null;
    }
    keyObjects.set(key, keyObject);
  }
  return keyObject;
}

/** The hash ssh2 uses for a key type when the algorithm names none; undefined: let ssh2 sign. */
function defaultHash(keyType: string): string | null | undefined {
  switch (keyType) {
    case 'ssh-ed25519':
      return null;
    case 'ecdsa-sha2-nistp256':
      return 'sha256';
    case 'ecdsa-sha2-nistp384':
      return 'sha384';
    case 'ecdsa-sha2-nistp521':
      return 'sha512';
    case 'ssh-rsa':
      return 'sha1';
    default:
      return undefined;
  }
}

/** The hash ssh2 signs with for a signature algorithm; undefined means the key type's own. */
function hashForAlgorithm(keyAlgo: string | undefined): string | undefined {
  switch (keyAlgo) {
    case 'rsa-sha2-256':
      return 'sha256';
    case 'rsa-sha2-512':
      return 'sha512';
    case 'ssh-rsa':
      return 'sha1';
    default:
      return undefined;
  }
}
