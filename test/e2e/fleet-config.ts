// The lab fleet as test/e2e/lab/hosts.conf defines it, and where lab.sh keeps its state.
// Plain data and a small parser: the ground truth (truth/) is computed from this.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoDir = fileURLToPath(new URL('../../', import.meta.url));
export const labDir = join(repoDir, 'test', 'e2e', 'lab');
export const labScript = join(labDir, 'lab.sh');

/** What globalSetup hands to the tests (vitest `provide`/`inject`). */
export interface LabFleetInfo {
  /** lab.sh's state directory (LAB_STATE). */
  stateDir: string;
  /** The inventory lab.sh wrote for every host that is up. */
  inventory: string;
  /** The lab /24 without its last octet (LAB_NET), e.g. `10.213.77`. */
  net: string;
  /** The inner /24 (LAB_INNER_NET): hosts there are reached only through a jump host. */
  innerNet: string;
  /** The hosts.conf lab.sh used (LAB_HOSTS_FILE). */
  hostsFile: string;
  /** LAB_SUITES when the fleet was restricted to some suites, else empty. */
  suites: string[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    labFleet: LabFleetInfo;
  }
}

/** The same defaults as lab.sh, from the same environment variables. */
export function labFleetInfo(env: NodeJS.ProcessEnv = process.env): LabFleetInfo {
  const stateDir = env.LAB_STATE ?? join(repoDir, '.e2e', 'lab');
  return {
    stateDir,
    inventory: join(stateDir, 'inventory.yaml'),
    net: env.LAB_NET ?? '10.213.77',
    innerNet: env.LAB_INNER_NET ?? '10.213.78',
    hostsFile: env.LAB_HOSTS_FILE ?? join(labDir, 'hosts.conf'),
    suites: (env.LAB_SUITES ?? '').split(/\s+/).filter((s) => s !== ''),
  };
}

export const hostKinds = ['nspawn', 'sshd', 'netns', 'none', 'login'] as const;
export type HostKind = (typeof hostKinds)[number];

/** One line of hosts.conf. */
export interface FleetHostDef {
  name: string;
  kind: HostKind;
  /** Debian suite, or null for kinds without a container. */
  suite: string | null;
  /** Last octet of the host's address on the lab /24 (the inner one with `behind=`). */
  addr: number;
  scenario: string | null;
  options: Record<string, string>;
  /** Where it is defined, for messages: `hosts.conf:31`. */
  where: string;
}

function isKind(value: string): value is HostKind {
  return (hostKinds as readonly string[]).includes(value);
}

/** Parses hosts.conf; a malformed line throws (the file is ours, a mistake must be loud). */
export function parseHostsConf(text: string, file = 'hosts.conf'): FleetHostDef[] {
  const hosts: FleetHostDef[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${file}:${index + 1}`;
    const [name = '', kind = '', suite = '', addr = '', scenario = '', ...opts] = line.split(/\s+/);
    if (!isKind(kind)) throw new Error(`${where}: unknown kind "${kind}"`);
    if (!/^\d+$/.test(addr)) throw new Error(`${where}: ADDR must be a number, got "${addr}"`);
    const options: Record<string, string> = {};
    for (const o of opts) {
      const eq = o.indexOf('=');
      if (eq <= 0) throw new Error(`${where}: option "${o}" is not KEY=VALUE`);
      options[o.slice(0, eq)] = o.slice(eq + 1);
    }
    hosts.push({
      name,
      kind,
      suite: suite === '-' ? null : suite,
      addr: Number(addr),
      scenario: scenario === '-' ? null : scenario,
      options,
      where,
    });
  });
  return hosts;
}

/** lab.sh's selection for LAB_SUITES: hosts of those suites, and every host without a suite. */
export function selectBySuites(hosts: FleetHostDef[], suites: string[]): FleetHostDef[] {
  if (suites.length === 0) return hosts;
  return hosts.filter((h) => h.suite === null || suites.includes(h.suite));
}

export function readFleetDefinition(info: LabFleetInfo): FleetHostDef[] {
  return selectBySuites(parseHostsConf(readFileSync(info.hostsFile, 'utf8'), info.hostsFile), info.suites);
}
