// Listen addresses of a socket unit from `systemctl show -p Listen`.
//
// - ≤237 prints one key per socket type: `ListenStream=/run/x.sock`, `ListenDatagram=…`,
//   `ListenSequentialPacket=…`, `ListenFIFO=…`, `ListenSpecial=…`, `ListenNetlink=…`,
//   `ListenMessageQueue=…`, `ListenUSBFunction=…` (CentOS 7 keeps this printer).
// - 238+ prints `Listen=<address> (<Type>)` (commit eabc13c781). The address may itself contain
//   spaces and parentheses (netlink `kobject-uevent 1`), so the type is the LAST ` (Word)`.
// - From 240 AF_UNIX paths (and abstract names) are C-escaped by `sockaddr_pretty()`
//   (`lab-tpl-inst\\x2d2.sock` is the file `lab-tpl-inst\x2d2.sock`); earlier they are raw. FIFO,
//   Special, MessageQueue and USBFunction entries print the configured path raw in every version.
// - A socket with no Listen entries prints no `Listen=` line at all, even with -p.
import type { ListenEntry } from '../model/types.js';
import type { PropertyBlock } from './systemctl-show.js';
import { ESCAPED_UNIX_PATHS_SINCE, cUnescape } from './systemd-escape.js';

const listenRe = /^(.*) \(([A-Za-z]+)\)$/;
const legacyKeyRe = /^Listen(Stream|Datagram|SequentialPacket|FIFO|Special|Netlink|MessageQueue|USBFunction)$/;
const socketTypes = new Set(['Stream', 'Datagram', 'SequentialPacket']);

/** Turn the printed address into the real one (unescaping unix paths printed by 240+). */
export function decodeListenAddress(type: string, address: string, version: number): string {
  if (version >= ESCAPED_UNIX_PATHS_SINCE && socketTypes.has(type) && (address.startsWith('/') || address.startsWith('@'))) {
    return cUnescape(address);
  }
  return address;
}

/** Parse one `Listen=` value (238+ form). Null when it has no ` (Type)` suffix. */
export function parseListenValue(value: string, version: number): ListenEntry | null {
  const m = listenRe.exec(value);
  if (m?.[1] === undefined || m[2] === undefined) return null;
  return { type: m[2], address: decodeListenAddress(m[2], m[1], version) };
}

/** All listen entries of a block, in print order, from either printer. */
export function listenEntries(block: PropertyBlock, version: number, warnings: string[], unit: string): ListenEntry[] {
  const out: ListenEntry[] = [];
  for (const { key, value } of block.entries) {
    if (key === 'Listen') {
      const entry = parseListenValue(value, version);
      if (entry === null) {
        warnings.push(`${unit}: Listen=${JSON.stringify(value)} has no "(Type)" suffix; kept as type "unknown"`);
        out.push({ type: 'unknown', address: value });
      } else {
        out.push(entry);
      }
      continue;
    }
    const legacy = legacyKeyRe.exec(key);
    if (legacy?.[1] !== undefined) out.push({ type: legacy[1], address: decodeListenAddress(legacy[1], value, version) });
  }
  return out;
}
