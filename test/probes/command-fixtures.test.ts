// Raw single-command outputs captured on real systemd hosts (test/fixtures/commands/systemd-VERSION/
// SCENARIO/*.txt, see index.tsv there for the exact command lines). Every layout of the same
// host's unit list must parse to the same units, whatever glyph/legend/JSON form it came in.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseListUnitFiles, parseListUnits } from '../../src/probes/parse-probe.js';
import { parseServiceStates } from '../../src/probes/service-state.js';
import { parseSocketStates } from '../../src/probes/socket-state.js';
import { parseSystemdVersion } from '../../src/probes/systemd-version.js';

const root = fileURLToPath(new URL('../fixtures/commands/', import.meta.url));
const hosts: Array<{ name: string; dir: string; version: number }> = [];
if (existsSync(root)) {
  for (const v of readdirSync(root).filter((d) => /^systemd-\d+$/.test(d))) {
    for (const scenario of readdirSync(join(root, v))) {
      hosts.push({ name: `${v}/${scenario}`, dir: join(root, v, scenario), version: Number(v.slice('systemd-'.length)) });
    }
  }
}
const read = (dir: string, f: string): string | null => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : null);
const has = (dir: string, ...files: string[]): boolean => files.every((f) => existsSync(join(dir, f)));
const must = (dir: string, f: string): string => readFileSync(join(dir, f), 'utf8');
const units = (text: string) => parseListUnits(text).entries.map((e) => [e.unit, e.load, e.active, e.sub, e.job, e.description]);

describe.runIf(hosts.length > 0)('captured command outputs', () => {
  it('covers the systemd versions of the lab', () => {
    expect(new Set(hosts.map((h) => h.version)).size).toBeGreaterThanOrEqual(2);
  });

  describe.each(hosts)('$name', ({ dir, version }) => {
    it.runIf(has(dir, 'version.txt'))('version: the major number matches the folder', () => {
      const v = parseSystemdVersion(must(dir, 'version.txt'));
      expect(v.kind === 'ok' && v.major).toBe(version);
    });

    const allLayouts = 'list-units: plain, no-legend (glyph column), legend (`*`), legend UTF-8 (`●`) and JSON agree';
    it.runIf(has(dir, 'list-units.plain.txt'))(allLayouts, () => {
      const plain = must(dir, 'list-units.plain.txt');
      const expected = units(plain);
      expect(expected.length).toBeGreaterThan(0);
      expect(parseListUnits(plain).warnings).toEqual([]);
      for (const f of ['list-units.no-legend.txt', 'list-units.legend.txt', 'list-units.legend.utf8.txt', 'list-units.json.txt']) {
        const text = read(dir, f);
        if (text === null) continue;
        expect(units(text), f).toEqual(expected);
        expect(parseListUnits(text).warnings, f).toEqual([]);
      }
    });

    it.runIf(has(dir, 'list-units.failed.txt'))('list-units --failed lists only failed units', () => {
      for (const e of parseListUnits(must(dir, 'list-units.failed.txt')).entries) expect(e.active).toBe('failed');
    });

    it.runIf(has(dir, 'list-unit-files.txt', 'list-unit-files.legend.txt'))('list-unit-files with and without legend agree', () => {
      const a = parseListUnitFiles(must(dir, 'list-unit-files.txt'));
      expect(a.warnings).toEqual([]);
      expect(a.entries.length).toBeGreaterThan(0);
      expect(parseListUnitFiles(must(dir, 'list-unit-files.legend.txt'))).toEqual(a);
    });

    const showBoth = has(dir, 'show-sockets.txt', 'show-services.txt');
    it.runIf(showBoth)('show of sockets and services parses without warnings; every listed socket is shown', () => {
      const sockets = parseSocketStates(must(dir, 'show-sockets.txt'), version);
      expect(sockets.warnings).toEqual([]);
      const listed = parseListUnits(read(dir, 'list-units.plain.txt') ?? '').entries;
      for (const u of listed) expect(sockets.names.has(u.unit), u.unit).toBe(true);
      const services = parseServiceStates(must(dir, 'show-services.txt'), version);
      expect(services.warnings).toEqual([]);
      for (const s of sockets.units) for (const t of s.triggers) expect(services.names.has(t), `${s.unit} → ${t}`).toBe(true);
    });

    const unixStamps = version >= 251 && has(dir, 'show-sockets.unix-timestamps.txt', 'show-sockets.txt');
    it.runIf(unixStamps)('--timestamp=unix (251+) gives the same states and the same instants', () => {
      const a = parseSocketStates(must(dir, 'show-sockets.txt'), version);
      const b = parseSocketStates(must(dir, 'show-sockets.unix-timestamps.txt'), version);
      expect(b.warnings).toEqual([]);
      const key = (s: (typeof a.units)[number]) => [s.unit, s.active, s.sub, s.result, s.stateChangedAt];
      expect(b.units.map(key)).toEqual(a.units.map(key));
      expect(b.units.some((s) => s.stateChangedAt !== null)).toBe(true);
    });
  });
});
