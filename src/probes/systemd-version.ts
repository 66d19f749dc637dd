// `systemctl --version` → the major version every version-dependent decoder keys on.
// First line forms seen: `systemd 219` (CentOS 7, no build suffix), `systemd 245 (245.4-4ubuntu3.x)`,
// `systemd 252 (252.39-1~deb12u2)`, `systemd 256 (256~rc3-1)` (never compare the suffix numerically).
// docker-systemctl-replacement prints `systemd 219 - via systemctl.py 1.x`: a fake, not systemd.
import { splitLines } from './sections.js';

export type SystemdVersionResult =
  | { kind: 'ok'; major: number; text: string }
  | { kind: 'fake'; text: string }
  | { kind: 'unparseable'; text: string };

export function parseSystemdVersion(output: string): SystemdVersionResult {
  const first = (splitLines(output).find((l) => l.trim() !== '') ?? '').trim();
  if (/via systemctl\.py/i.test(output)) return { kind: 'fake', text: first };
  const m = /^systemd (\d{2,4})\b/.exec(first);
  if (m?.[1] === undefined) return { kind: 'unparseable', text: first };
  return { kind: 'ok', major: Number(m[1]), text: first };
}
