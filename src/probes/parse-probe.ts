// The probe's whole stdout → HostSnapshot, or the reason the host cannot be audited.
//
// Unknown is never healthy: empty output, a missing section, a bus that did not answer or a
// systemctl that is not systemd all end in a failure with a reason, never in an empty snapshot.
// Nothing here throws on any input: a host may print anything.
import type { HostSnapshot, ServiceState, SocketState } from '../model/types.js';
import { readCapabilities } from './capabilities.js';
import { parseJournalEvidence } from './journal-evidence.js';
import { parseListUnitFiles, parseListUnits } from './list-units.js';
import { probeSections } from './probe-script.js';
import { splitLines, splitSections, type Section } from './sections.js';
import { parseServiceStates } from './service-state.js';
import { parseSocketStates } from './socket-state.js';
import { parseSystemdVersion } from './systemd-version.js';

export { parseListUnitFiles, parseListUnits } from './list-units.js';
export { unescapeUnitName } from './systemd-escape.js';

export type ProbeParseResult =
  | { ok: true; snapshot: HostSnapshot }
  | { ok: false; reason: 'no-systemd' | 'bus-unavailable' | 'parse-error'; detail: string };

export interface ProbeContext {
  exitCode: number | null;
  stderr: string;
}

type Failure = Extract<ProbeParseResult, { ok: false }>;

/** Sections that run systemctl; their stderr tells a dead bus from a missing systemd. */
const systemctlSections = ['version', 'state', 'units', 'unit-files', 'show-sockets', 'show-services'] as const;

// 237+ without systemd as PID 1: "System has not been booted with systemd as init system (PID 1).
// Can't operate." 219 inside a chroot: "Running in chroot, ignoring request." with exit 0.
const notBootedRe = /System has not been booted with systemd|Running in chroot, ignoring request/;
// 219: "Failed to get D-Bus connection: …"; 230+: "Failed to connect to bus: …"; 250+ may say
// "Failed to connect to system scope bus via local transport: …".
// A manager that stops answering mid-way: "Failed to get properties: Connection timed out" etc.
const busRe =
  /Failed to get D-Bus connection|Failed to connect to (?:\S+ ){0,3}bus\b|Failed to open system bus|Failed to (?:get properties|list units(?: and files)?|list unit files): (?:Connection timed out|Transport endpoint is not connected|Connection reset by peer|Broken pipe)/i;

// 247 wraps its stderr log lines in ANSI colour escapes even with SYSTEMD_COLORS=0 and stderr not
// a tty (seen in the lab captures); strip them so details read cleanly and patterns still match.
// eslint-disable-next-line no-control-regex
const ansiRe = /\u001b\[[0-9;?]*[A-Za-z]/g;

function cleanLines(text: string): string[] {
  return splitLines(text.replace(ansiRe, '')).map((l) => l.trim());
}

function firstLine(text: string): string {
  return (cleanLines(text).find((l) => l !== '') ?? '').slice(0, 300);
}

function contextNote(context: ProbeContext | undefined): string {
  if (context === undefined) return '';
  const parts: string[] = [];
  if (context.exitCode !== null && context.exitCode !== 0) parts.push(`exit code ${context.exitCode}`);
  if (context.exitCode === null) parts.push('no exit status');
  const err = firstLine(context.stderr);
  if (err !== '') parts.push(`stderr: ${err}`);
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

function parseError(detail: string, context?: ProbeContext): Failure {
  return { ok: false, reason: 'parse-error', detail: detail + contextNote(context) };
}

function parseMeta(content: string): Map<string, string> {
  const meta = new Map<string, string>();
  for (const line of splitLines(content)) {
    const eq = line.indexOf('=');
    if (eq > 0 && !meta.has(line.slice(0, eq))) meta.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  return meta;
}

/** A systemctl section failed because systemd or its bus is not there. */
/** `PID 1 is "init"` from the probe's `pid1=` (the comm of PID 1, unreadable on some hosts). */
function describePid1(pid1: string): string {
  return pid1 === '' ? 'PID 1 could not be identified' : `PID 1 is ${JSON.stringify(pid1)}`;
}

function findBusFailure(sections: Map<string, Section>, pid1: string): Failure | null {
  let bus: Failure | null = null;
  for (const name of systemctlSections) {
    const section = sections.get(name);
    const stderr = sections.get(`${name}.stderr`)?.content ?? '';
    const lines = cleanLines(stderr);
    const notBooted = lines.find((l) => notBootedRe.test(l));
    if (notBooted !== undefined) {
      return { ok: false, reason: 'no-systemd', detail: `${describePid1(pid1)}; systemctl ${name}: ${notBooted}` };
    }
    const busLine = lines.find((l) => busRe.test(l));
    if (bus === null && busLine !== undefined && section !== undefined && section.rc !== 0) {
      bus = { ok: false, reason: 'bus-unavailable', detail: `systemctl ${name}: ${busLine}` };
    }
  }
  return bus;
}

function commandFailure(sections: Map<string, Section>, name: string): string | null {
  const s = sections.get(name);
  if (s === undefined || s.rc === 0) return null;
  const err = firstLine(sections.get(`${name}.stderr`)?.content ?? '');
  return `systemctl ${name} exited with ${s.rc}${err === '' ? '' : `: ${err}`}`;
}

export function parseProbeOutput(stdout: string, nonce: string, context?: ProbeContext): ProbeParseResult {
  try {
    return parseProbeOutputUnsafe(stdout, nonce, context);
  } catch (err) {
    // A safety net only: every path above is written not to throw.
    return parseError(`internal error while parsing probe output: ${err instanceof Error ? err.message : String(err)}`, context);
  }
}

function parseProbeOutputUnsafe(stdout: string, nonce: string, context?: ProbeContext): ProbeParseResult {
  if (stdout.trim() === '') {
    // 70 is the probe's own "cannot create a temporary directory" exit; 126/127 come from the shell.
    const why: Record<number, string> = {
      70: ': it could not create a temporary directory',
      126: ': sh could not be executed',
      127: ': sh was not found',
    };
    return parseError(`the probe printed nothing${why[context?.exitCode ?? -1] ?? ''}`, context);
  }
  const split = splitSections(stdout, nonce);
  if (!split.ok) return parseError(split.detail, context);
  const { sections } = split;
  const warnings = [...split.warnings];

  const metaSection = sections.get('meta');
  if (metaSection === undefined) {
    const foreign = /@@sockaudit:([A-Za-z0-9_-]+):/.exec(stdout);
    const hint =
      foreign?.[1] !== undefined && foreign[1] !== nonce
        ? `markers carry nonce "${foreign[1]}", not this run's`
        : `stdout starts with ${JSON.stringify(split.preamble[0]?.slice(0, 120) ?? firstLine(stdout))}`;
    return parseError(`probe output has no "meta" section: ${hint}`, context);
  }
  if (split.preamble.length > 0) {
    warnings.push(`ignored output before the probe's first section (login banner?): ${JSON.stringify(split.preamble[0])}`);
  }

  const meta = parseMeta(metaSection.content);
  const pid1 = meta.get('pid1') ?? '';
  const booted = meta.get('booted');
  const hasSystemctl = meta.get('systemctl');
  if (booted === undefined || hasSystemctl === undefined) {
    return parseError('probe "meta" section lacks booted= or systemctl=', context);
  }
  if (hasSystemctl === 'no') {
    return { ok: false, reason: 'no-systemd', detail: `${describePid1(pid1)}; systemctl is not installed` };
  }
  if (booted === 'no') {
    return { ok: false, reason: 'no-systemd', detail: `${describePid1(pid1)}; /run/systemd/system is missing, so systemd is not PID 1` };
  }

  const versionSection = sections.get('version');
  if (versionSection !== undefined && /via systemctl\.py/i.test(versionSection.content)) {
    return { ok: false, reason: 'no-systemd', detail: `systemctl is docker-systemctl-replacement: ${firstLine(versionSection.content)}` };
  }
  const busFailure = findBusFailure(sections, pid1);
  if (busFailure !== null) return busFailure;

  const missing = probeSections.filter((s) => !sections.has(s));
  if (missing.length > 0) {
    return parseError(`probe output ends early: missing section(s) ${missing.join(', ')}`, context);
  }
  for (const name of ['version', 'units', 'show-sockets'] as const) {
    const failed = commandFailure(sections, name);
    if (failed !== null) return parseError(failed, context);
  }

  const version = parseSystemdVersion(versionSection?.content ?? '');
  if (version.kind === 'fake') return { ok: false, reason: 'no-systemd', detail: `not systemd: ${version.text}` };
  if (version.kind === 'unparseable') {
    return parseError(`cannot read the systemd version from ${JSON.stringify(version.text.slice(0, 120))}`, context);
  }
  const v = version.major;

  const stateLine = firstLine(sections.get('state')?.content ?? '');
  const systemState = stateLine === '' ? null : stateLine;

  const listed = parseListUnits(sections.get('units')?.content ?? '');
  warnings.push(...listed.warnings);
  const unitFilesFailure = commandFailure(sections, 'unit-files');
  if (unitFilesFailure !== null) warnings.push(`${unitFilesFailure}; socket units nothing has loaded may be missing`);
  const files = parseListUnitFiles(sections.get('unit-files')?.content ?? '');
  warnings.push(...files.warnings);

  const showSockets = sections.get('show-sockets')?.content ?? '';
  const sockets = parseSocketStates(showSockets, v);
  warnings.push(...sockets.warnings);

  const expected = new Set<string>();
  for (const u of listed.entries) if (u.unit.endsWith('.socket')) expected.add(u.unit);
  for (const f of files.entries) if (f.unit.endsWith('.socket') && !f.unit.endsWith('@.socket')) expected.add(f.unit);
  if (sockets.units.length === 0 && expected.size > 0) {
    // Empty show output is never "no sockets": systemctl said there are some.
    return parseError(`systemctl show printed nothing for ${expected.size} listed socket unit(s)`, context);
  }
  for (const u of listed.entries) {
    if (u.unit.endsWith('.socket') && !sockets.names.has(u.unit)) {
      warnings.push(`${u.unit} is listed by list-units (${u.load}/${u.active}/${u.sub}) but missing from systemctl show`);
    }
  }
  for (const f of files.entries) {
    if (f.unit.endsWith('.socket') && !f.unit.endsWith('@.socket') && !sockets.names.has(f.unit)) {
      warnings.push(`${f.unit} is listed by list-unit-files (${f.state}) but missing from systemctl show`);
    }
  }
  if (sockets.units.length === 0) warnings.push('no socket units at all: unusual for a host running systemd');

  const servicesFailure = commandFailure(sections, 'show-services');
  if (servicesFailure !== null) warnings.push(`${servicesFailure}; states of triggered units are unknown`);
  const services = parseServiceStates(sections.get('show-services')?.content ?? '', v);
  warnings.push(...services.warnings);
  // fromEntries defines own properties, so a hostile unit named `__proto__` stays a plain key.
  const serviceRecord: Record<string, ServiceState> = Object.fromEntries(services.units.map((s) => [s.unit, s]));
  for (const socket of sockets.units) {
    for (const t of socket.triggers) {
      if (!services.names.has(t)) warnings.push(`${socket.unit} triggers ${t}, but systemctl show printed nothing for it`);
    }
  }

  const templates = readTemplates(sections);
  if (templates.warning !== null) warnings.push(templates.warning);
  const withTemplates = sockets.units.map((socket) => withTemplate(socket, templates.found));
  const evidence = parseJournalEvidence(sections);
  warnings.push(...evidence.warnings);

  return {
    ok: true,
    snapshot: {
      systemdVersion: v,
      systemdVersionText: version.text,
      systemState,
      sockets: withTemplates,
      services: serviceRecord,
      warnings,
      journalAccess: evidence.access,
      journalAccessDetail: evidence.accessDetail,
      journal: evidence.excerpts,
      capabilities: readCapabilities({
        version: v,
        showSockets,
        showServices: sections.get('show-services')?.content ?? '',
        socketCount: sockets.units.length,
        serviceCount: services.units.length,
        templateCheck: templates.found !== null,
      }),
    },
  };
}

/**
 * The `templates` section: `list-unit-files` of the NAME@.service templates that Accept=yes
 * sockets need. Null when the probe did not check (older probe) or systemctl failed.
 */
function readTemplates(sections: Map<string, Section>): { found: Set<string> | null; warning: string | null } {
  const section = sections.get('templates');
  if (section === undefined) return { found: null, warning: null };
  const failed = commandFailure(sections, 'templates');
  if (failed !== null || (sections.get('templates.stderr')?.content ?? '').trim() !== '') {
    return { found: null, warning: `${failed ?? 'systemctl templates printed errors'}; Accept=yes templates not checked` };
  }
  return { found: new Set(parseListUnitFiles(section.content).entries.map((e) => e.unit)), warning: null };
}

/** Accept=yes sockets get their template name (foo.socket, foo@x.socket → foo@.service). */
function withTemplate(socket: SocketState, found: Set<string> | null): SocketState {
  if (socket.accept !== true) return socket;
  const prefix = socket.unit.replace(/\.socket$/, '').replace(/@.*$/, '');
  const unit = `${prefix}@.service`;
  return { ...socket, template: { unit, found: found === null ? null : found.has(unit) } };
}
