// A HostTarget with test-friendly defaults (localhost, short timeouts, nothing configured).
import type { HostTarget } from '../../src/model/types.js';

export function makeHostTarget(overrides: Partial<HostTarget> = {}): HostTarget {
  return {
    name: 'test-host',
    address: '127.0.0.1',
    port: 22,
    user: 'audit',
    identityFiles: [],
    useAgent: false,
    knownHostsFiles: [],
    connectTimeoutMs: 5_000,
    commandTimeoutMs: 5_000,
    groups: [],
    labels: {},
    ...overrides,
  };
}
