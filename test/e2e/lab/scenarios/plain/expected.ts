// Ground truth of the "plain" scenario: no lab units at all. Its hosts exist to be bad SSH
// targets (hosts.conf OPTIONS); should one of them ever be audited, it has only the image's
// own sockets.
import type { ScenarioTruth } from '../../../truth/types.js';

export const plain: ScenarioTruth = { name: 'plain', systemState: 'running', sockets: [], services: [], absent: [] };
