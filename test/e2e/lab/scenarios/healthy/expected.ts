// Ground truth of the "healthy" scenario (units/, install.sh, drive.sh next to this file): the
// same on systemd 247, 252 and 257. Nothing has failed; the only thing to report is the
// MaxConnections socket's refusals (a warning).
import type { ScenarioTruth } from '../../../truth/types.js';

const tcp = (port: number) => [{ type: 'Stream', address: `[::]:${port}` }];
// Accept=yes instances are named <template>@<n>-<local address>-<peer address>.service; the
// peer port is the client's ephemeral port.
const instance = (template: string, n: number, port: number) =>
  new RegExp(`^${template}@${n}-127\\.0\\.0\\.1:${port}-127\\.0\\.0\\.1:\\d+\\.service$`);

export const healthy: ScenarioTruth = {
  name: 'healthy',
  systemState: 'running',
  sockets: [
    {
      unit: 'lab-web.socket',
      how: 'enabled (with Alias=lab-www.socket), nobody connected',
      load: 'loaded',
      active: 'active',
      sub: 'listening',
      result: 'success',
      listen: tcp(8080),
      triggers: ['lab-web.service'],
      accept: false,
      counters: { nAccepted: 0, nConnections: 0, nRefused: 0 },
      findings: [],
    },
    {
      unit: 'lab-proxy.socket',
      how: 'drive.sh sends one request; the proxy service starts and stays up',
      load: 'loaded',
      active: 'active',
      sub: 'running',
      result: 'success',
      listen: tcp(7002),
      triggers: ['lab-proxy.service'],
      accept: false,
      counters: { nAccepted: 0, nConnections: 0, nRefused: 0 },
      findings: [],
    },
    {
      unit: 'lab-acc.socket',
      how: 'Accept=yes; drive.sh holds two connections open (lab-client-acc1/2)',
      load: 'loaded',
      active: 'active',
      sub: 'listening',
      result: 'success',
      listen: tcp(7050),
      triggers: [instance('lab-acc', 0, 7050), instance('lab-acc', 1, 7050)],
      accept: true,
      counters: { nAccepted: 2, nConnections: 2, nRefused: 0 },
      findings: [],
    },
    {
      unit: 'lab-max.socket',
      how: 'Accept=yes, MaxConnections=1; drive.sh holds one connection, two more are refused',
      load: 'loaded',
      active: 'active',
      sub: 'listening',
      result: 'success',
      listen: tcp(7051),
      triggers: [instance('lab-max', 0, 7051)],
      accept: true,
      counters: { nAccepted: 1, nConnections: 1, nRefused: 2 },
      findings: [{ kind: 'connections-refused', severity: 'warning', cause: 'connection-limit', journal: /Too many incoming connections \(1\)/ }],
    },
  ],
  services: [
    { unit: 'lab-web.service', load: 'loaded', active: 'inactive', sub: 'dead', result: 'success' },
    { unit: 'lab-proxy.service', load: 'loaded', active: 'active', sub: 'running', result: 'success' },
    { unit: instance('lab-acc', 0, 7050), load: 'loaded', active: 'active', sub: 'running', result: 'success' },
    { unit: instance('lab-acc', 1, 7050), load: 'loaded', active: 'active', sub: 'running', result: 'success' },
    { unit: instance('lab-max', 0, 7051), load: 'loaded', active: 'active', sub: 'running', result: 'success' },
  ],
  // The alias is listed by list-unit-files; it must not be a second socket.
  absent: ['lab-www.socket'],
};
