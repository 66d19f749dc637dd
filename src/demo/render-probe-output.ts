// What a Debian 12 host (systemd 252) prints for the probe, rendered from a demo host spec.
// The layout follows captures from real 252 hosts (test/fixtures/probe/systemd-252): property
// order is systemd's D-Bus order, not the order asked for, and empty values are printed.
import { markerPrefix } from '../probes/probe-script.js';
import type { DemoHost, DemoService, DemoSocket } from './demo-fleet-spec.js';

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

function socketBlock(socket: DemoSocket, now: Date): string {
  const changed = systemdTimestamp(new Date(now.getTime() - socket.changedMinutesAgo * 60_000));
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
    `FragmentPath=/lib/systemd/system/${socket.unit}`,
    'UnitFileState=enabled',
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

/** The full probe output of one demo host, framed with the probe's nonce. */
export function renderProbeOutput(host: DemoHost, nonce: string, now: Date): string {
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
    section(nonce, 'meta', `pid1=systemd\nbooted=yes\nsystemctl=yes\nuid=0\nnow=${epoch}\n`),
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
  ].join('');
}
