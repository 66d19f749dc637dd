import { describe, expect, it } from 'vitest';
import { listenPort, nextSteps, sinceArgument } from '../../src/model/next-steps.js';
import { hasShellSyntax, shellQuote } from '../../src/model/shell-quote.js';
import { causeIds, type CauseId } from '../../src/model/types.js';
import { makeService, makeSocket } from '../helpers/model-factories.js';

describe('shellQuote', () => {
  it.each([
    ['api.socket', 'api.socket'],
    ['lab\\x2descaped.socket', "'lab\\x2descaped.socket'"],
    ["it's", "'it'\\''s'"],
    ['', "''"],
    ['a b', "'a b'"],
    ['lab-acc@0-127.0.0.1:7050-127.0.0.1:46604.service', 'lab-acc@0-127.0.0.1:7050-127.0.0.1:46604.service'],
  ])('%s → %s', (word, quoted) => {
    expect(shellQuote(word)).toBe(quoted);
  });

  it('knows argv that a shell would read differently', () => {
    expect(hasShellSyntax('/usr/sbin/nginx -g daemon on; master_process on;')).toBe(true);
    expect(hasShellSyntax("/bin/sh -c echo 'x'")).toBe(true);
    expect(hasShellSyntax('/usr/bin/order-worker --config /etc/order-worker/worker.toml')).toBe(false);
  });
});

describe('sinceArgument', () => {
  it('UTC wall clock from 229, @epoch before (219 cannot read " UTC")', () => {
    expect(sinceArgument('2026-11-28T09:34:58.000Z', 252)).toBe("--since '2026-11-28 09:34:58 UTC'");
    expect(sinceArgument('2026-11-28T09:34:58.000Z', 219)).toBe('--since @1795858498');
  });
});

describe('listenPort', () => {
  it.each([
    ['0.0.0.0:8080', 8080],
    ['[::]:22', 22],
    ['[fe80::1]:53%eth0', 53],
    ['7010', 7010],
    ['/run/x.sock', null],
    ['kobject-uevent 1', null],
    ['127.0.0.1:99999', null],
  ])('%s → %s', (address, port) => {
    expect(listenPort({ type: 'Stream', address })).toBe(port);
  });
});

describe('nextSteps', () => {
  const socket = makeSocket({ unit: 'lab\\x2descaped.socket', listen: [{ type: 'Stream', address: '[::]:7010' }, { type: 'Datagram', address: '0.0.0.0:53' }] });
  const service = makeService({ unit: 'lab\\x2descaped.service' });
  const base = { socket, services: [service], since: '2026-11-28T09:34:58.000Z', systemdVersion: 252 };

  it.each(causeIds.map((id) => [id]))('%s: at least one command, every unit name quoted', (id: CauseId) => {
    const steps = nextSteps({ ...base, cause: id });
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) {
      expect(step.label).not.toBe('');
      expect(step.command).not.toMatch(/(^|[\s=])lab\\x2d/);
    }
  });

  it('port in use: who holds the ports first, then the journal, then reset and restart', () => {
    expect(nextSteps({ ...base, cause: 'port-in-use' }).map((s) => s.command)).toEqual([
      "ss -ltnp 'sport = :7010'",
      "ss -lunp 'sport = :53'",
      "journalctl --no-pager -u 'lab\\x2descaped.socket' -u 'lab\\x2descaped.service' --since '2026-11-28 09:34:58 UTC'",
      "systemctl reset-failed 'lab\\x2descaped.socket' && systemctl restart 'lab\\x2descaped.socket'",
    ]);
  });

  it('crash loop: the daemon in the foreground with SYSTEMD_LOG_LEVEL=debug when its argv is plain', () => {
    const plain = makeService({ execStart: { path: '/usr/bin/order-worker', argv: 'order-worker --config /etc/w.toml' } });
    const steps = nextSteps({ ...base, socket: makeSocket(), services: [plain], cause: 'service-crash-loop' });
    expect(steps[1]?.command).toBe('systemctl stop api.socket api.service && SYSTEMD_LOG_LEVEL=debug /usr/bin/order-worker --config /etc/w.toml');
    const shelly = makeService({ execStart: { path: '/bin/sh', argv: '/bin/sh -c echo x >&2; exit 3' } });
    const viaCat = nextSteps({ ...base, socket: makeSocket(), services: [shelly], cause: 'service-crash-loop' })[1];
    expect(viaCat?.command).toBe('systemctl cat api.service');
    expect(viaCat?.label).toContain('SYSTEMD_LOG_LEVEL=debug');
  });

  it('no timestamp: the newest lines instead of --since', () => {
    expect(nextSteps({ ...base, since: null, cause: 'unknown' })[0]?.command).toBe("journalctl --no-pager -u 'lab\\x2descaped.socket' -u 'lab\\x2descaped.service' -n 100");
  });

  it('invalid setting: systemd-analyze verify on the unit file', () => {
    const bad = makeSocket({ load: 'bad-setting', fragmentPath: '/etc/systemd/system/bad port.socket' });
    expect(nextSteps({ ...base, socket: bad, services: [], cause: 'invalid-unit-setting' })[0]?.command).toBe("systemd-analyze verify '/etc/systemd/system/bad port.socket'");
  });
});
