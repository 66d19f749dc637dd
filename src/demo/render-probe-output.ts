// What a Debian 12 host (systemd 252) prints for the probe, rendered from a demo host spec.
// The layout follows captures from real 252 hosts (test/fixtures/probe/systemd-252): property
// order is systemd's D-Bus order, not the order asked for, and empty values are printed.
import { markerPrefix } from '../probes/probe-script.js';
import type { DemoHost, DemoJournalLine, DemoService, DemoSocket } from './demo-fleet-spec.js';

const systemdVersionText =
  'systemd 252 (252.39-1~deb12u2)\n+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified';

/** Sockets every Debian 12 host has, so the demo audits a realistic number of units. */
const systemSockets: DemoSocket[] = [
  ['dbus.socket', 'D-Bus System Message Bus Socket', '/run/dbus/system_bus_socket', 'dbus.service', 'D-Bus System Message Bus', 'running'],
  ['systemd-initctl.socket', 'initctl Compatibility Named Pipe', '/run/initctl', 'systemd-initctl.service', 'initctl Compatibility Daemon', 'listening'],
  ['systemd-journald-audit.socket', 'Journal Audit Socket', 'audit 1', 'systemd-journald.service', 'Journal Service', 'running'],
  ['systemd-journald-dev-log.socket', 'Journal Socket (/dev/log)', '/run/systemd/journal/dev-log', 'systemd-journald.service', 'Journal Service', 'running'],
  ['systemd-journald.socket', 'Journal Socket', '/run/systemd/journal/stdout', 'systemd-journald.service', 'Journal Service', 'running'],
  ['systemd-udevd-control.socket', 'udev Control Socket', '/run/udev/control', 'systemd-udevd.service', 'Rule-based Manager for Device Events and Files', 'running'],
].map(([unit, description, address, service, serviceDescription, sub]) => ({
  unit: unit ?? '',
  description: description ?? '',
  listen: [
    {
      type: unit === 'systemd-initctl.socket' ? 'FIFO' : unit === 'systemd-journald-audit.socket' ? 'Netlink' : 'Stream',
      address: address ?? '',
    },
  ],
  active: 'active',
  sub: sub === 'running' ? 'running' : 'listening',
  result: 'success',
  changedMinutesAgo: 6000,
  service: {
    unit: service ?? '',
    description: serviceDescription ?? '',
    active: sub === 'running' ? 'active' : 'inactive',
    sub: sub === 'running' ? 'running' : 'dead',
    result: 'success',
  },
}));

/** `Sat 2026-11-28 07:59:43 UTC`, as systemctl prints with TZ=UTC LC_ALL=C. */
export function systemdTimestamp(date: Date): string {
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][date.getUTCDay()] ?? 'Sun';
  return `${weekday} ${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function section(nonce: string, name: string, content: string, rc = 0): string {
  const marker = markerPrefix(nonce);
  return `${marker}begin ${name}\n${content}\n${marker}end ${name} rc=${rc}\n`;
}

function padColumns(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join(' '))
    .map((line) => `${line}\n`)
    .join('');
}

function changedAt(socket: DemoSocket, now: Date): Date {
  return new Date(now.getTime() - socket.changedMinutesAgo * 60_000);
}

function socketBlock(socket: DemoSocket, now: Date): string {
  // A socket that never started (its service is missing) has no timestamps at all, as in the lab.
  const never = socket.active === 'inactive';
  const changed = never ? '' : systemdTimestamp(changedAt(socket, now));
  const failed = socket.active === 'failed';
  return [
    `Accept=${socket.accept === true ? 'yes' : 'no'}`,
    ...socket.listen.map((entry) => `Listen=${entry.address} (${entry.type})`),
    'MaxConnections=64',
    `Result=${socket.result}`,
    `NConnections=${socket.nConnections ?? 0}`,
    `NAccepted=${socket.nAccepted ?? 0}`,
    `NRefused=${socket.nRefused ?? 0}`,
    `Id=${socket.unit}`,
    `Names=${socket.unit}`,
    `Triggers=${socket.service.unit}`,
    `Description=${socket.description}`,
    'LoadState=loaded',
    `ActiveState=${socket.active}`,
    `SubState=${socket.sub}`,
    'WantedBy=sockets.target',
    'RequiredBy=',
    `FragmentPath=/lib/systemd/system/${socket.unit}`,
    `UnitFileState=${socket.unitFileState ?? 'enabled'}`,
    `StateChangeTimestamp=${changed}`,
    `InactiveExitTimestamp=${changed}`,
    `ActiveEnterTimestamp=${failed ? '' : changed}`,
    `ActiveExitTimestamp=${failed ? changed : ''}`,
    `InactiveEnterTimestamp=${failed ? changed : ''}`,
    'LoadError=',
  ].join('\n');
}

function serviceBlock(service: DemoService, now: Date): string {
  const notFound = service.load === 'not-found';
  const changed = systemdTimestamp(new Date(now.getTime() - 3 * 60_000));
  return [
    `Result=${service.result}`,
    `NRestarts=${service.nRestarts ?? 0}`,
    `ExecMainCode=${service.execMainCode ?? 0}`,
    `ExecMainStatus=${service.execMainStatus ?? 0}`,
    ...(notFound ? [] : [execStartLine(service)]),
    `Id=${service.unit}`,
    `Description=${service.description}`,
    `LoadState=${service.load ?? 'loaded'}`,
    `ActiveState=${service.active}`,
    `SubState=${service.sub}`,
    `FragmentPath=${notFound ? '' : `/lib/systemd/system/${service.unit}`}`,
    `UnitFileState=${notFound ? '' : 'static'}`,
    `StateChangeTimestamp=${service.active === 'inactive' && service.result === 'success' ? '' : changed}`,
    `ActiveEnterTimestamp=${service.active === 'active' ? changed : ''}`,
    'ActiveExitTimestamp=',
    `InactiveEnterTimestamp=${service.active === 'failed' ? changed : ''}`,
    'InactiveExitTimestamp=',
    `LoadError=${notFound ? `org.freedesktop.systemd1.NoSuchUnit "Unit ${service.unit} not found."` : ''}`,
  ].join('\n');
}

/** `ExecStart={ path=… ; argv[]=… ; … }` as systemctl show prints it. */
function execStartLine(service: DemoService): string {
  const argv = service.execStart ?? `/usr/sbin/${service.unit.replace(/\.service$/, '')}`;
  const path = argv.split(' ')[0] ?? argv;
  const status = service.execMainCode === 1 ? `code=exited ; status=${service.execMainStatus ?? 0}` : 'code=(null) ; status=0/0';
  return `ExecStart={ path=${path} ; argv[]=${argv} ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; ${status} }`;
}

/** One journal line as `journalctl -o json --output-fields=…` prints it on 252. */
function journalJson(line: DemoJournalLine, base: Date, index: number): string {
  const micros = BigInt(base.getTime()) * 1000n + BigInt(Math.round(line.at * 1_000_000)) + BigInt(index);
  const own = line.pid !== undefined;
  const record: Record<string, string> = {
    __CURSOR: `s=5f3c0d9a1e2b4c7d8e9f00112233aabb;i=${(0x1a00 + index).toString(16)};b=0a1b2c3d4e5f60718293a4b5c6d7e8f9;m=${(1_000_000 + index).toString(16)};t=${micros.toString(16)};x=${(index * 2654435761 >>> 0).toString(16)}`,
    __REALTIME_TIMESTAMP: micros.toString(),
    __MONOTONIC_TIMESTAMP: String(3_600_000_000 + index),
    _BOOT_ID: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
    PRIORITY: String(line.priority ?? 6),
    _PID: String(line.pid ?? 1),
    SYSLOG_IDENTIFIER: line.identifier ?? 'systemd',
    _SYSTEMD_UNIT: own ? line.unit : 'init.scope',
    MESSAGE: line.message,
  };
  if (!own) record.UNIT = line.unit;
  if (line.messageId !== undefined) record.MESSAGE_ID = line.messageId;
  if (line.unitResult !== undefined) record.UNIT_RESULT = line.unitResult;
  if (line.errno !== undefined) record.ERRNO = String(line.errno);
  return JSON.stringify(record);
}

export interface RenderOptions {
  /** The probe script asked for the journal through sudo -n (the inventory's journal_sudo). */
  journalSudo?: boolean;
}

/** A framed section followed by its stderr section, as the probe's `emit` prints a command's stderr. */
function sectionWithStderr(nonce: string, name: string, content: string, rc: number, stderr: string): string {
  return section(nonce, name, content, rc) + section(nonce, `${name}.stderr`, stderr.replace(/\n$/, ''));
}

/** The evidence sections: template check, journal plan, access check, one excerpt per problem socket. */
function evidenceSections(host: DemoHost, nonce: string, sockets: readonly DemoSocket[], now: Date, options: RenderOptions): string {
  const problems = sockets.filter((s) => s.journal !== undefined);
  const plan = problems.map((s) => {
    const since = s.active === 'inactive' ? '-' : String(Math.floor(changedAt(s, now).getTime() / 1000) - 300);
    return [s.unit, since, s.unit, s.service.unit].join('\t');
  });
  const out = [section(nonce, 'templates', ''), section(nonce, 'journal-plan', plan.map((l) => `${l}\n`).join(''))];
  // As the probe does: with journal_sudo, sudo is asked even when nothing needs evidence. A
  // sudo that wants a password answers like sudo 1.9 with -n, and no excerpt is read after it.
  const sudo = options.journalSudo === true;
  if (problems.length === 0 && !sudo) return out.join('');
  const access = `journalctl=yes\n${sudo ? 'sudo=yes /usr/bin/journalctl\n' : ''}`;
  if (sudo && host.sudo === 'password') {
    out.push(sectionWithStderr(nonce, 'journal-access', access, 1, 'sudo: a password is required\n'));
    return out.join('');
  }
  out.push(section(nonce, 'journal-access', access));
  for (const s of problems) {
    const lines = (s.journal ?? []).map((line, i) => journalJson(line, changedAt(s, now), i));
    out.push(section(nonce, `journal:${s.unit}`, lines.map((l) => `${l}\n`).join('')));
  }
  return out.join('');
}

/** The full probe output of one demo host, framed with the probe's nonce. */
export function renderProbeOutput(host: DemoHost, nonce: string, now: Date, options: RenderOptions = {}): string {
  const epoch = Math.floor(now.getTime() / 1000);
  if (host.kind === 'no-systemd') {
    return section(nonce, 'meta', `pid1=${host.pid1}\nbooted=no\nsystemctl=no\nuid=0\nnow=${epoch}\n`);
  }
  if (host.kind === 'refused') return '';
  const sockets = [...systemSockets, ...host.sockets].sort((a, b) => a.unit.localeCompare(b.unit));
  const services = new Map<string, DemoService>();
  for (const socket of sockets) services.set(socket.service.unit, socket.service);
  const degraded = sockets.some((s) => s.active === 'failed');
  const units = padColumns(sockets.map((s) => [s.unit, 'loaded', s.active, s.sub, s.description]));
  const unitFiles = padColumns(
    [...sockets.map((s) => [s.unit, s.unit.startsWith('systemd-') || s.unit === 'dbus.socket' ? 'static' : 'enabled', 'enabled']),
      ['systemd-journald@.socket', 'static', '-'],
      ['systemd-journald-varlink@.socket', 'static', '-'],
    ].sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? '')),
  );
  return [
    // A login that needs sudo for the journal is no root login.
    section(nonce, 'meta', `pid1=systemd\nbooted=yes\nsystemctl=yes\nuid=${host.sudo === undefined ? 0 : 1000}\nnow=${epoch}\n`),
    section(nonce, 'version', `${systemdVersionText}\n`),
    section(nonce, 'state', `${degraded ? 'degraded' : 'running'}\n`, degraded ? 1 : 0),
    section(nonce, 'units', units),
    section(nonce, 'unit-files', unitFiles),
    section(nonce, 'show-sockets', `${sockets.map((s) => socketBlock(s, now)).join('\n\n')}\n`),
    section(
      nonce,
      'show-services',
      `${[...services.values()]
        .sort((a, b) => a.unit.localeCompare(b.unit))
        .map((service) => serviceBlock(service, now))
        .join('\n\n')}\n`,
    ),
    evidenceSections(host, nonce, sockets, now, options),
  ].join('');
}
