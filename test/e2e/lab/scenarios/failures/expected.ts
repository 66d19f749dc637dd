// Ground truth of the "failures" scenario (units/, install.sh, drive.sh next to this file):
// the same on systemd 247, 252 and 257. Every socket whose `active` is `failed` here must be
// reported as a `socket-failed` finding; the orphan as a missing service; nothing else.
import type { ScenarioTruth } from '../../../truth/types.js';

const tcp = (port: number) => [{ type: 'Stream', address: `[::]:${port}` }];

export const failures: ScenarioTruth = {
  name: 'failures',
  systemState: 'degraded',
  sockets: [
    {
      unit: 'lab-conflict.socket',
      how: 'lab-squatter.service holds TCP 7010 since boot; drive.sh starts the socket → Address already in use',
      load: 'loaded',
      active: 'failed',
      sub: 'failed',
      result: 'resources',
      listen: tcp(7010),
      triggers: ['lab-conflict.service'],
      accept: false,
      counters: { nAccepted: 0, nConnections: 0, nRefused: 0 },
      // Result=resources alone does not say which resource: the journal does.
      findings: [{ kind: 'socket-failed', severity: 'critical', cause: 'port-in-use', causeWithoutJournal: 'unknown', journal: /Address already in use/ }],
    },
    {
      unit: 'lab-crash.socket',
      how: 'every connection starts a service that exits 3; drive.sh connects until the start limit',
      load: 'loaded',
      active: 'failed',
      sub: 'failed',
      result: 'service-start-limit-hit',
      listen: tcp(7020),
      triggers: ['lab-crash.service'],
      accept: false,
      counters: { nAccepted: 0, nConnections: 0, nRefused: 0 },
      findings: [{ kind: 'socket-failed', severity: 'critical', cause: 'service-crash-loop', journal: /Start request repeated too quickly/ }],
    },
    {
      unit: 'lab-trigger.socket',
      how: 'TriggerLimitBurst=3; the service (/bin/true) leaves the one pending connection, which re-triggers',
      load: 'loaded',
      active: 'failed',
      sub: 'failed',
      result: 'trigger-limit-hit',
      listen: tcp(7030),
      triggers: ['lab-trigger.service'],
      accept: false,
      counters: { nAccepted: 0, nConnections: 0, nRefused: 1 },
      findings: [{ kind: 'socket-failed', severity: 'critical', cause: 'trigger-limit-hit', journal: /Trigger limit hit, refusing further activation/ }],
    },
    {
      unit: 'lab-orphan.socket',
      how: 'enabled, but lab-orphan.service does not exist: the start at boot is refused, the socket stays dead',
      load: 'loaded',
      active: 'inactive',
      sub: 'dead',
      result: 'success',
      listen: tcp(7040),
      triggers: ['lab-orphan.service'],
      accept: false,
      counters: { nAccepted: 0, nConnections: 0, nRefused: 0 },
      // Enabled, so something expects it to listen: critical although it is not "failed".
      findings: [{ kind: 'service-missing', severity: 'critical', cause: 'missing-service-unit', journal: /Socket service lab-orphan\.service not loaded, refusing/ }],
    },
  ],
  services: [
    { unit: 'lab-conflict.service', load: 'loaded', active: 'inactive', sub: 'dead', result: 'success' },
    { unit: 'lab-crash.service', load: 'loaded', active: 'failed', sub: 'failed', result: 'exit-code' },
    { unit: 'lab-trigger.service', load: 'loaded', active: 'inactive', sub: 'dead', result: 'success' },
    { unit: 'lab-orphan.service', load: 'not-found', active: 'inactive', sub: 'dead', result: 'success' },
  ],
  absent: [],
};
