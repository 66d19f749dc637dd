import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseJournalJson, realtimeToIso } from '../../src/probes/journal-json.js';

const fixture = (p: string): string => readFileSync(fileURLToPath(new URL(`../fixtures/commands/${p}`, import.meta.url)), 'utf8');

describe('parseJournalJson', () => {
  it('reads the real 252 capture: PID 1 lines by UNIT=, the daemon by _SYSTEMD_UNIT, ERRNO, UNIT_RESULT, MESSAGE_ID', () => {
    const { entries, skipped } = parseJournalJson(fixture('systemd-252/failures/journal.json.txt'));
    expect(skipped).toBe(0);
    expect(entries).toHaveLength(41);
    const bind = entries.find((e) => e.message.includes('Failed to create listening socket'));
    expect(bind).toEqual({
      time: '2026-11-28T09:39:58.937Z',
      unit: 'lab-conflict.socket',
      priority: 3,
      message: 'lab-conflict.socket: Failed to create listening socket ([::]:7010): Address already in use',
      errno: 98,
      pid: 1,
      identifier: 'systemd',
    });
    const result = entries.find((e) => e.unitResult === 'service-start-limit-hit');
    expect(result).toMatchObject({ unit: 'lab-crash.socket', messageId: 'd9b373ed55a64feb8242e02dbe79a49c', priority: 4 });
    const own = entries.find((e) => e.identifier === 'sh');
    expect(own).toMatchObject({ unit: 'lab-crash.service', message: 'lab-crash: cannot read config, exiting' });
    expect(own?.pid).not.toBe(1);
    // Newest last, as journalctl prints.
    const times = entries.map((e) => e.time ?? '');
    expect([...times].sort()).toEqual(times);
  });

  it('reads the ≤239 spaced format ({ "K" : "v", … }) as well as the compact one', () => {
    const spaced = '{ "__CURSOR" : "s=1;i=2", "__REALTIME_TIMESTAMP" : "1554810639054738", "PRIORITY" : "3", "UNIT" : "a.socket", "MESSAGE" : "a.socket: Failed to listen on sockets: Address already in use", "_PID" : "1", "SYSLOG_IDENTIFIER" : "systemd" }';
    const { entries } = parseJournalJson(`${spaced}\n`);
    expect(entries).toEqual([
      { time: '2019-04-09T11:50:39.054Z', unit: 'a.socket', priority: 3, message: 'a.socket: Failed to listen on sockets: Address already in use', pid: 1, identifier: 'systemd' },
    ]);
  });

  it('decodes byte arrays, keeps null (too large) visible, takes repeated fields, ignores unknown shapes', () => {
    const line = JSON.stringify({
      __REALTIME_TIMESTAMP: '1795858798937812',
      MESSAGE: [27, 91, 51, 49, 109, 98, 111, 111, 109, 13, 255],
      UNIT: ['x.service', 'y.service'],
      PRIORITY: { nested: true },
      ERRNO: '98x',
      _PID: '99999999999',
    });
    const [entry] = parseJournalJson(line).entries;
    expect(entry?.message).toBe('\u001b[31mboom\r\ufffd');
    expect(entry?.unit).toBe('x.service');
    expect(entry?.priority).toBeNull();
    expect(entry?.errno).toBeUndefined();
    expect(entry?.pid).toBeUndefined();
    const big = parseJournalJson('{"MESSAGE":null,"_SYSTEMD_UNIT":"z.service"}').entries[0];
    expect(big).toMatchObject({ message: '[message larger than 4 KiB not shown by journalctl]', unit: 'z.service', time: null });
  });

  it('counts lines that are not journal objects (a fragment cut by the byte cap, noise) and keeps the newest', () => {
    const good = (n: number): string => JSON.stringify({ __REALTIME_TIMESTAMP: String(1795858798000000 + n), MESSAGE: `m${n}` });
    const text = [good(1), 'not json', '[1,2]', good(2), good(3), '{"MESSAGE":"cut in the mid'].join('\n');
    const r = parseJournalJson(text, 2);
    expect(r.entries.map((e) => e.message)).toEqual(['m2', 'm3']);
    expect(r.skipped).toBe(3 + 1);
  });

  it('is not fooled by __proto__ keys', () => {
    const [entry] = parseJournalJson('{"__proto__":{"MESSAGE":"evil"},"MESSAGE":"ok"}').entries;
    expect(entry?.message).toBe('ok');
    expect(({} as Record<string, unknown>).MESSAGE).toBeUndefined();
  });
});

describe('realtimeToIso', () => {
  it.each([
    ['1795858798937812', '2026-11-28T09:39:58.937Z'],
    ['0', '1970-01-01T00:00:00.000Z'],
    ['', null],
    ['12ab', null],
    [undefined, null],
    ['123456789012345678', null],
  ])('%s → %s', (input, expected) => {
    expect(realtimeToIso(input)).toBe(expected);
  });
});
