// Properties every unit type shares (org.freedesktop.systemd1.Unit), read from one
// `systemctl show` block into the model's UnitCommon. Shared by socket-state.ts and
// service-state.ts.
//
// Rule for every field: a property that is absent is "not printed by this systemd" → null, never
// 0 or "" (unknown must not read as fine); an empty value or `[not set]` (235+) is also null.
import type { UnitCommon } from '../model/types.js';
import { parseSystemctlShow, type PropertyBlock } from './systemctl-show.js';
import { decodeStringValue, splitListValue } from './systemd-escape.js';
import { latestIso, parseTimestamp } from './timestamp.js';

/** Collects warnings with the unit name in front. */
export interface WarningSink {
  warn(message: string): void;
}

/** `Id=` → the canonical escaped unit name. ≤233 prints it `\xNN`-escaped (`\x5cx2d` for `\x2d`). */
export function normalizeUnitId(raw: string, version: number): string {
  const trimmed = raw.trim();
  if (trimmed.startsWith('"')) return splitListValue(trimmed, version)[0] ?? '';
  return decodeStringValue(trimmed, version);
}

/** A plain string property: absent → null, empty → null, otherwise decoded per era. */
export function readString(block: PropertyBlock, key: string, version: number): string | null {
  const v = block.first.get(key);
  if (v === undefined || v === '' || v === '[not set]') return null;
  return decodeStringValue(v, version);
}

const signedRe = /^-?\d{1,20}$/;
const unsignedRe = /^\d{1,20}$/;

/** An unsigned/signed integer property, parsed strictly (no `1e3`, no ` 12`, no `0x10`). */
export function readInteger(block: PropertyBlock, key: string, sink: WarningSink, signed = false): number | null {
  const v = block.first.get(key);
  if (v === undefined || v === '' || v === '[not set]' || v === '[no data]') return null;
  const re = signed ? signedRe : unsignedRe;
  const n = re.test(v) ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    sink.warn(`${key}=${JSON.stringify(v.slice(0, 40))} is not an integer; treated as unknown`);
    return null;
  }
  return n;
}

export function readBoolean(block: PropertyBlock, key: string, sink: WarningSink): boolean | null {
  const v = block.first.get(key);
  if (v === undefined || v === '') return null;
  if (v === 'yes') return true;
  if (v === 'no') return false;
  sink.warn(`${key}=${JSON.stringify(v.slice(0, 40))} is not yes/no; treated as unknown`);
  return null;
}

export function readTimestamp(block: PropertyBlock, key: string, sink: WarningSink): string | null {
  const v = block.first.get(key);
  if (v === undefined) return null;
  const r = parseTimestamp(v);
  if (!r.ok) {
    sink.warn(`${key}: ${r.reason}`);
    return null;
  }
  return r.iso;
}

/**
 * `LoadError=` is a `(ss)` pair printed as `org.freedesktop.systemd1.NoSuchUnit "Unit x.service not
 * found."`; keep the human message. Empty (the unit loaded fine) → null.
 */
export function parseLoadError(value: string | undefined): string | null {
  if (value === undefined) return null;
  const v = value.trim();
  if (v === '') return null;
  const m = /^\S*\s*"(.*)"$/s.exec(v);
  if (m?.[1] !== undefined) return m[1] === '' ? null : m[1];
  return v;
}

/**
 * Last state change. `StateChangeTimestamp` exists from 229; on older systemd (CentOS 7 = 219) it
 * is absent and the latest of the four Active/Inactive Enter/Exit timestamps is the best proxy.
 */
export function readStateChangedAt(block: PropertyBlock, sink: WarningSink): string | null {
  if (block.first.has('StateChangeTimestamp')) return readTimestamp(block, 'StateChangeTimestamp', sink);
  return latestIso(
    ['ActiveEnterTimestamp', 'ActiveExitTimestamp', 'InactiveEnterTimestamp', 'InactiveExitTimestamp'].map((k) =>
      readTimestamp(block, k, sink),
    ),
  );
}

function readState(block: PropertyBlock, key: string, sink: WarningSink): string {
  const v = block.first.get(key);
  if (v === undefined || v.trim() === '') {
    sink.warn(`${key} missing from systemctl show output; recorded as "unknown"`);
    return 'unknown';
  }
  return v.trim();
}

export function readUnitCommon(unit: string, block: PropertyBlock, version: number, sink: WarningSink): UnitCommon {
  return {
    unit,
    description: readString(block, 'Description', version),
    load: readState(block, 'LoadState', sink),
    active: readState(block, 'ActiveState', sink),
    sub: readState(block, 'SubState', sink),
    result: readString(block, 'Result', version),
    loadError: parseLoadError(block.first.get('LoadError')),
    fragmentPath: readString(block, 'FragmentPath', version),
    unitFileState: readString(block, 'UnitFileState', version),
    stateChangedAt: readStateChangedAt(block, sink),
  };
}

export interface UnitsFromShow<T> {
  units: T[];
  /** Every name a block answers to (`Id` and `Names=`), canonical form → its Id. */
  names: Map<string, string>;
  warnings: string[];
}

/** Split a show output into blocks keyed by canonical Id; shared by sockets and services. */
export function blocksById(
  text: string,
  version: number,
  what: string,
): { blocks: Array<{ unit: string; block: PropertyBlock }>; names: Map<string, string>; warnings: string[] } {
  const parsed = parseSystemctlShow(text);
  const warnings = [...parsed.warnings];
  const blocks: Array<{ unit: string; block: PropertyBlock }> = [];
  const names = new Map<string, string>();
  for (const block of parsed.blocks) {
    const rawId = block.first.get('Id');
    const unit = rawId === undefined ? '' : normalizeUnitId(rawId, version);
    if (unit === '') {
      warnings.push(`a ${what} block without Id= was skipped (${block.lines} line(s))`);
      continue;
    }
    if (names.get(unit) === unit) {
      // An alias named on the command line shows the same unit again under its real Id.
      continue;
    }
    blocks.push({ unit, block });
    names.set(unit, unit);
    const rawNames = block.first.get('Names');
    if (rawNames !== undefined) {
      for (const n of splitListValue(rawNames, version)) if (!names.has(n)) names.set(n, unit);
    }
  }
  return { blocks, names, warnings };
}

/** `Triggers=` elements in canonical form; `[unprintable]` (234–245, element with a space) dropped. */
export function readUnitList(block: PropertyBlock, key: string, version: number, sink: WarningSink): string[] {
  const v = block.first.get(key);
  if (v === undefined || v.trim() === '') return [];
  const out: string[] = [];
  for (const el of splitListValue(v, version)) {
    if (el === '[unprintable]') sink.warn(`${key}= contains an element systemd printed as [unprintable]`);
    else if (el !== '') out.push(el);
  }
  return out;
}
