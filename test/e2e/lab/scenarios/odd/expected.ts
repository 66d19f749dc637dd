// Ground truth of the "odd" scenario (units/, install.sh, drive.sh next to this file): the
// same on systemd 247, 252 and 257. Nothing here is `failed`; what must be reported are the
// enabled units that cannot load (critical: something expects them to listen) and the mask.
import type { ScenarioTruth, SocketTruth } from '../../../truth/types.js';

const idle = { accept: false, counters: { nAccepted: 0, nConnections: 0, nRefused: 0 }, findings: [] };
const listening = { load: 'loaded', active: 'active', sub: 'listening', result: 'success', ...idle };
const badSetting = {
  load: 'bad-setting',
  active: 'inactive',
  sub: 'dead',
  result: 'success',
  listen: [],
  ...idle,
  findings: [{ kind: 'socket-not-loaded', severity: 'critical' as const, cause: 'invalid-unit-setting' }],
};

const sockets: SocketTruth[] = [
  {
    unit: 'lab-dormant.socket',
    how: 'installed, never enabled or started; only list-unit-files knows it (show loads it for the call)',
    load: 'loaded',
    active: 'inactive',
    sub: 'dead',
    result: 'success',
    listen: [{ type: 'Stream', address: '[::]:7090' }],
    triggers: ['lab-dormant.service'],
    ...idle,
  },
  { unit: 'lab-broken.socket', how: 'enabled, no Listen* line', ...badSetting, triggers: ['lab-broken.service'] },
  { unit: 'lab-badport.socket', how: 'enabled, ListenStream=99999', ...badSetting, triggers: ['lab-badport.service'] },
  {
    unit: 'lab-masked.socket',
    how: 'vendor unit in /lib, enabled, masked in /etc',
    load: 'masked',
    active: 'inactive',
    sub: 'dead',
    result: 'success',
    listen: [],
    triggers: [],
    ...idle,
    findings: [{ kind: 'socket-masked', severity: 'notice', cause: 'unit-masked' }],
  },
  {
    unit: 'lab-tpl@inst\\x2d2.socket',
    how: 'enabled instance of a template; %i keeps the escape, so the path has a backslash',
    ...listening,
    listen: [{ type: 'Stream', address: '/run/lab-tpl-inst\\x2d2.sock' }],
    triggers: ['lab-tpl@inst\\x2d2.service'],
  },
  {
    unit: 'lab\\x2descaped.socket',
    how: 'a backslash in the file name (install.sh)',
    ...listening,
    listen: [{ type: 'Stream', address: '/run/lab-escaped.sock' }],
    triggers: ['lab\\x2descaped.service'],
  },
  {
    unit: 'lab-udp.socket',
    how: 'ListenDatagram=7060',
    ...listening,
    listen: [{ type: 'Datagram', address: '[::]:7060' }],
    triggers: ['lab-udp.service'],
  },
  {
    unit: 'lab-v6.socket',
    how: 'ListenStream=[::1]:7070, ListenDatagram=[::]:7071, BindIPv6Only=ipv6-only',
    ...listening,
    listen: [
      { type: 'Stream', address: '[::1]:7070' },
      { type: 'Datagram', address: '[::]:7071' },
    ],
    triggers: ['lab-v6.service'],
  },
  {
    unit: 'lab-multi.socket',
    how: 'five Listen* lines of four kinds',
    ...listening,
    listen: [
      { type: 'Stream', address: '[::]:7080' },
      { type: 'Datagram', address: '[::]:7080' },
      { type: 'Stream', address: '/run/lab-multi.sock' },
      { type: 'SequentialPacket', address: '@lab-multi-abstract' },
      { type: 'FIFO', address: '/run/lab-multi.fifo' },
    ],
    triggers: ['lab-multi.service'],
  },
];

const dead = { load: 'loaded', active: 'inactive', sub: 'dead', result: 'success' };

export const odd: ScenarioTruth = {
  name: 'odd',
  systemState: 'running',
  sockets,
  services: [
    'lab-dormant.service',
    'lab-broken.service',
    'lab-badport.service',
    'lab-tpl@inst\\x2d2.service',
    'lab\\x2descaped.service',
    'lab-udp.service',
    'lab-v6.service',
    'lab-multi.service',
  ].map((unit) => ({ unit, ...dead })),
  // The template itself has no state of its own.
  absent: ['lab-tpl@.socket'],
};
