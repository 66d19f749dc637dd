// Required sockets: "hosts in @web must have nginx.socket active and listening on :80". A
// requirement is checked on every audited host it names; a host that does not meet it gets a
// finding of its own (required-socket-missing / -inactive / required-listen-missing), next to
// any finding the socket already has — the failure says why, the requirement says it matters.
// Unknown hosts are not checked: they are counted as unknown, never as meeting anything.
import { causes } from '../model/causes.js';
import { listenPort, nextSteps } from '../model/next-steps.js';
import { shellQuote } from '../model/shell-quote.js';
import type { Finding, FindingKind, HostReport, ListenEntry, NextStep, RequirementStatus, SocketState } from '../model/types.js';
import { hostMatches } from './patterns.js';
import type { Requirement } from './policy-types.js';

/** `0.0.0.0:80` matches itself; a bare port (`80`) matches any address with that port. */
function listensOn(listen: readonly ListenEntry[], wanted: string): boolean {
  if (/^\d+$/.test(wanted)) return listen.some((entry) => listenPort(entry) === Number(wanted));
  return listen.some((entry) => entry.address === wanted);
}

function stateText(socket: SocketState): string {
  return `${socket.load}/${socket.active}/${socket.sub}${socket.result === null || socket.result === 'success' ? '' : ` (Result=${socket.result})`}`;
}

function missingSteps(unit: string): NextStep[] {
  const stem = unit.replace(/\.socket$/, '');
  return [
    { label: 'Is it installed, perhaps under another name?', command: `systemctl list-unit-files --no-pager ${shellQuote(`${stem}*`)}` },
    { label: 'Once installed: start it now and at every boot', command: `systemctl enable --now ${shellQuote(unit)}` },
  ];
}

function finding(host: HostReport, req: Requirement, kind: FindingKind, socket: SocketState | undefined, what: string): Finding {
  const services = new Map(host.services.map((service) => [service.unit, service]));
  const triggered = socket?.triggers ?? [];
  const info = causes['policy-requirement'];
  return {
    host: host.name,
    unit: req.unit,
    kind,
    severity: req.severity,
    result: socket?.result ?? null,
    listen: socket?.listen ?? [],
    triggers: triggered.map((unit) => {
      const service = services.get(unit);
      return { unit, load: service?.load ?? null, active: service?.active ?? null, sub: service?.sub ?? null, result: service?.result ?? null };
    }),
    cause: {
      id: 'policy-requirement',
      title: info.title,
      severity: info.severity,
      detail: `${req.where} (${req.path}) requires ${what}`,
      basis: 'policy',
    },
    evidence: {
      journalAccess: host.journalAccess ?? 'not-collected',
      // The cause's detail says what is missing; there is no journal excerpt to explain.
      note: null,
      since: null,
      units: [],
      entries: [],
    },
    nextSteps:
      socket === undefined
        ? missingSteps(req.unit)
        : nextSteps({
            cause: 'policy-requirement',
            socket,
            services: triggered.flatMap((unit) => services.get(unit) ?? []),
            since: null,
            systemdVersion: host.systemdVersion ?? 0,
          }),
  };
}

/** The findings one requirement produces on one host: none when it does not apply or is met. */
export function requirementFindings(host: HostReport, req: Requirement): Finding[] {
  if (host.status !== 'audited' || !hostMatches(req.hosts, host)) return [];
  const socket = host.sockets.find((s) => s.unit === req.unit);
  if (socket === undefined || socket.load === 'not-found') {
    const has = socket === undefined ? 'the host has no such unit' : 'its unit file is not found (LoadState=not-found)';
    return [finding(host, req, 'required-socket-missing', undefined, `${req.unit} on this host; ${has}`)];
  }
  const found: Finding[] = [];
  const inState = req.state === 'active' ? socket.active === 'active' : socket.load === 'loaded';
  if (!inState) found.push(finding(host, req, 'required-socket-inactive', socket, `${req.unit} ${req.state}; it is ${stateText(socket)}`));
  const absent = req.listen.filter((wanted) => !listensOn(socket.listen, wanted));
  if (absent.length > 0) {
    const has = socket.listen.length === 0 ? 'it listens on nothing' : `it listens on ${socket.listen.map((l) => l.address).join(', ')}`;
    found.push(finding(host, req, 'required-listen-missing', socket, `${req.unit} to listen on ${absent.join(', ')}; ${has}`));
  }
  return found;
}

export function requirementStatuses(requirements: readonly Requirement[], hosts: readonly HostReport[]): RequirementStatus[] {
  return requirements.map((req) => {
    const checked = hosts.filter((host) => host.status === 'audited' && hostMatches(req.hosts, host));
    return {
      index: req.index,
      where: req.where,
      hosts: req.hosts,
      unit: req.unit,
      listen: req.listen,
      state: req.state,
      severity: req.severity,
      checked: checked.length,
      unmet: checked.filter((host) => requirementFindings(host, req).length > 0).length,
    };
  });
}
