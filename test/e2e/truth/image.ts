// Ground truth of the lab image itself (lab.sh image_build: debootstrap minbase + systemd,
// openssh-server, dbus, …): which systemd each suite ships and the distribution's socket
// units every audited host has, whatever its scenario — including the two that a minimal
// image leaves dangling (no rsyslog, no udev), which sockaudit must report as notices.
import type { VersionedSocketTruth } from './types.js';

/** systemd major version per Debian suite. */
export const suiteSystemd: Record<string, number> = { bullseye: 247, bookworm: 252, trixie: 257 };

const idle = { nAccepted: 0, nConnections: 0, nRefused: 0 };

export const imageSockets: VersionedSocketTruth[] = [
  {
    unit: 'dbus.socket',
    how: 'dbus from the image, started at boot',
    load: 'loaded',
    active: 'active',
    sub: 'running',
    result: 'success',
    listen: [{ type: 'Stream', address: '/run/dbus/system_bus_socket' }],
    triggers: ['dbus.service'],
    accept: false,
    findings: [],
  },
  {
    unit: 'systemd-journald.socket',
    how: 'journald from the image',
    load: 'loaded',
    active: 'active',
    sub: 'running',
    result: 'success',
    listen: [
      { type: 'Datagram', address: '/run/systemd/journal/socket' },
      { type: 'Stream', address: '/run/systemd/journal/stdout' },
    ],
    triggers: ['systemd-journald.service'],
    accept: false,
    findings: [],
  },
  {
    unit: 'ssh.socket',
    how: 'openssh-server ships it disabled (sshd runs as ssh.service)',
    load: 'loaded',
    active: 'inactive',
    sub: 'dead',
    result: 'success',
    listen: [{ type: 'Stream', address: '[::]:22' }],
    triggers: ['ssh.service'],
    accept: false,
    counters: idle,
    findings: [],
    // bullseye's ssh.socket is Accept=yes: no single service in Triggers=.
    byVersion: { 247: { accept: true, triggers: [] } },
  },
  {
    unit: 'syslog.socket',
    how: "systemd ships it for a syslog daemon; the image has none, so syslog.service does not exist",
    load: 'loaded',
    active: 'inactive',
    sub: 'dead',
    result: 'success',
    listen: [{ type: 'Datagram', address: '/run/systemd/journal/syslog' }],
    triggers: ['syslog.service'],
    accept: false,
    // Static and not started: nothing expects it to listen, so only a notice.
    findings: [{ kind: 'service-missing', severity: 'notice', cause: 'missing-service-unit' }],
  },
  ...['systemd-udevd-control.socket', 'systemd-udevd-kernel.socket'].map((unit) => ({
    unit,
    how: 'from 252 initrd-udevadm-cleanup-db.service (systemd package) names them in Conflicts=; they live in the udev package the image lacks',
    load: 'not-found',
    active: 'inactive',
    sub: 'dead',
    result: 'success',
    listen: [],
    triggers: [],
    accept: false,
    findings: [{ kind: 'socket-not-loaded', severity: 'notice' as const, cause: 'missing-socket-unit' }],
    versions: [252, 257],
  })),
];
