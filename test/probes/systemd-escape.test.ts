import { describe, expect, it } from 'vitest';
import {
  cUnescape,
  decodeStringValue,
  splitListValue,
  unescapeUnitName,
  xUnescape,
} from '../../src/probes/systemd-escape.js';
import { decodeListenAddress, parseListenValue } from '../../src/probes/listen.js';
import { parseTimestamp } from '../../src/probes/timestamp.js';

describe('escaping eras of systemctl show', () => {
  it('≤233: \\xNN-escaped strings decode to bytes, then UTF-8 (Description=Caf\\xc3\\xa9)', () => {
    expect(decodeStringValue('Caf\\xc3\\xa9', 219)).toBe('Café');
    expect(decodeStringValue('lab-tpl@inst\\x5cx2d2.socket', 219)).toBe('lab-tpl@inst\\x2d2.socket');
  });

  it('234+: strings are raw, even when they look escaped', () => {
    expect(decodeStringValue('Caf\\xc3\\xa9', 245)).toBe('Caf\\xc3\\xa9');
    expect(decodeStringValue('lab-tpl@inst\\x2d2.socket', 252)).toBe('lab-tpl@inst\\x2d2.socket');
    expect(decodeStringValue('[unprintable]', 240)).toBe('[unprintable]');
  });

  it('≤233 list elements: space-separated, \\x5c for backslash (Requires=dev-mapper-rhel\\x5cx2dswap.swap)', () => {
    expect(splitListValue('dev-mapper-rhel\\x5cx2dswap.swap a.service', 219)).toEqual([
      'dev-mapper-rhel\\x2dswap.swap',
      'a.service',
    ]);
  });

  it('246+ list elements: shell-quoted with backslash escapes (TriggeredBy="lab\\\\x2descaped.socket")', () => {
    expect(splitListValue('"lab\\\\x2descaped.socket" plain.service', 252)).toEqual(['lab\\x2descaped.socket', 'plain.service']);
    expect(splitListValue('"a\\"b" "c d"', 252)).toEqual(['a"b', 'c d']);
    expect(splitListValue('', 252)).toEqual([]);
    expect(splitListValue('  x.service   y.service ', 252)).toEqual(['x.service', 'y.service']);
  });

  it('never throws on a damaged quoted list', () => {
    expect(splitListValue('"unterminated\\', 252)).toEqual(['unterminated\\']);
    expect(splitListValue('"', 252)).toEqual(['']);
  });

  it('cUnescape undoes cescape: \\\\, \\", octal, \\xNN, \\n, and keeps invalid escapes', () => {
    expect(cUnescape('lab-tpl-inst\\\\x2d2.sock')).toBe('lab-tpl-inst\\x2d2.sock');
    expect(cUnescape('a\\"b\\\'c')).toBe('a"b\'c');
    expect(cUnescape('caf\\303\\251')).toBe('café');
    expect(cUnescape('caf\\xc3\\xa9')).toBe('café');
    expect(cUnescape('nl\\ntab\\t')).toBe('nl\ntab\t');
    expect(cUnescape('\\u00e9\\U0001F600')).toBe('é😀');
    expect(cUnescape('bad\\q\\x\\x0')).toBe('bad\\q\\x\\x0');
    expect(cUnescape('trailing\\')).toBe('trailing\\');
  });

  it('xUnescape only touches \\xNN', () => {
    expect(xUnescape('a\\x20b\\n')).toBe('a b\\n');
    expect(xUnescape('\\xzz')).toBe('\\xzz');
  });

  it('unescapeUnitName gives the display form', () => {
    expect(unescapeUnitName('lab-tpl@inst\\x2d2.socket')).toBe('lab-tpl@inst-2.socket');
    expect(unescapeUnitName('dev-disk-by\\x2duuid-1234.device')).toBe('dev-disk-by-uuid-1234.device');
  });
});

describe('Listen values', () => {
  it.each([
    ['/run/lab/lab-stream.sock (Stream)', 252, { type: 'Stream', address: '/run/lab/lab-stream.sock' }],
    ['[::1]:47002 (Stream)', 252, { type: 'Stream', address: '[::1]:47002' }],
    ['[::]:47005 (Stream)', 252, { type: 'Stream', address: '[::]:47005' }],
    ['@lab-abstract-ns (Stream)', 252, { type: 'Stream', address: '@lab-abstract-ns' }],
    ['/run/lab/lab.fifo (FIFO)', 252, { type: 'FIFO', address: '/run/lab/lab.fifo' }],
    ['/run/lab/lab-seqpacket.sock (SequentialPacket)', 252, { type: 'SequentialPacket', address: '/run/lab/lab-seqpacket.sock' }],
    ['kobject-uevent 1 (Netlink)', 252, { type: 'Netlink', address: 'kobject-uevent 1' }],
    ['/run/odd (dir)/x.sock (Datagram)', 252, { type: 'Datagram', address: '/run/odd (dir)/x.sock' }],
    // 240+ C-escapes unix paths: the file is really named lab-tpl-inst\x2d2.sock.
    ['/run/lab/lab-tpl-inst\\\\x2d2.sock (Stream)', 252, { type: 'Stream', address: '/run/lab/lab-tpl-inst\\x2d2.sock' }],
    // 238/239 print the same path raw.
    ['/run/lab/lab-tpl-inst\\x2d2.sock (Stream)', 239, { type: 'Stream', address: '/run/lab/lab-tpl-inst\\x2d2.sock' }],
  ])('Listen=%s on %i', (value, version, expected) => {
    expect(parseListenValue(value, version)).toEqual(expected);
  });

  it('rejects a value without the (Type) suffix', () => {
    expect(parseListenValue('/run/x.sock', 252)).toBeNull();
  });

  it('does not unescape FIFO paths (they are printed raw in every version)', () => {
    expect(decodeListenAddress('FIFO', '/run/a\\\\b', 252)).toBe('/run/a\\\\b');
  });
});

describe('timestamps (TZ=UTC LC_ALL=C)', () => {
  it.each([
    ['Sat 2026-11-28 07:59:43 UTC', '2026-11-28T07:59:43.000Z'],
    ['Thu 2024-01-04 10:00:00 UTC', '2024-01-04T10:00:00.000Z'],
    ['Do 2024-01-04 10:00:00 UTC', '2024-01-04T10:00:00.000Z'], // 219–231 localised weekday
    ['Sat 2026-11-28 07:59:43', '2026-11-28T07:59:43.000Z'], // 252 drops a zone that does not fit
    ['Sat 2026-11-28 07:59:43.123456 UTC', '2026-11-28T07:59:43.123Z'], // --timestamp=us
    ['@1795852892', '2026-11-28T08:01:32.000Z'], // --timestamp=unix (251+)
    ['Sat 2026-11-28 18:59:43 +11', '2026-11-28T07:59:43.000Z'],
    ['', null],
    ['n/a', null],
  ])('%j → %j', (value, iso) => {
    expect(parseTimestamp(value)).toEqual({ ok: true, iso });
  });

  it.each(['Sat 2026-11-28 07:59:43 IST', 'Sat 2026-02-31 07:59:43 UTC', 'yesterday', '--- XXXX-XX-XX XX:XX:XX'])(
    'refuses %j',
    (value) => {
      expect(parseTimestamp(value).ok).toBe(false);
    },
  );
});
