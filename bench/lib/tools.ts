// The tools compared, each as a command line over the same fleet, the same probe sent the
// same way (`sh -s` with the script on stdin), the same concurrency; and how each one's
// successful hosts are counted afterwards from its own output.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FleetFiles } from './fleet-files.js';
import type { RunSpec } from './measure.js';

export interface Tool {
  name: string;
  /** Short name for `npm run bench -- --tools …`. */
  key: string;
  /** What runs, for RESULTS.md. */
  describe: string;
  spec(fleet: FleetFiles, concurrency: number, work: string): RunSpec;
  /** Hosts whose complete probe answer the tool obtained. */
  succeeded(fleet: FleetFiles, work: string, stdoutTail: string): number;
}

export interface ToolPaths {
  repo: string;
  benchBuild: string;
}

function countFiles(dir: string, pattern: RegExp): number {
  let ok = 0;
  for (const name of readdirSync(dir)) if (pattern.test(readFileSync(join(dir, name), 'utf8'))) ok += 1;
  return ok;
}

function freshDir(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function tools(paths: ToolPaths): Tool[] {
  return [
    {
      name: 'sockaudit',
      key: 'sockaudit',
      describe: 'the built CLI: `sockaudit audit -i inventory.yaml -f json -o report.json -c 32` (parsing, assessment and the JSON report included)',
      spec: (fleet, concurrency, work) => ({
        command: process.execPath,
        args: [join(paths.repo, 'dist/cli/main.js'), 'audit', '-i', fleet.inventoryFile, '-f', 'json', '-o', join(work, 'sockaudit.json'), '-c', String(concurrency), '--no-progress'],
        timeoutMs: 600_000,
        timeFile: join(work, 'time'),
      }),
      succeeded: (_fleet, work) => {
        const report = JSON.parse(readFileSync(join(work, 'sockaudit.json'), 'utf8')) as { hosts: { status: string }[] };
        return report.hosts.filter((h) => h.status === 'audited').length;
      },
    },
    {
      name: 'ssh2 floor',
      key: 'floor',
      describe: 'bench/ssh2-floor.ts: ssh2 + p-limit, connect, exec `sh -s`, probe on stdin, keep the output; no parsing, no report',
      spec: (fleet, concurrency, work) => ({
        command: process.execPath,
        args: [join(paths.benchBuild, 'bench/ssh2-floor.js'), fleet.floorPlan(concurrency, join(work, 'floor-plan.json'))],
        timeoutMs: 600_000,
        timeFile: join(work, 'time'),
      }),
      succeeded: (_fleet, _work, stdout) => (JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { ok?: number }).ok ?? 0,
    },
    {
      name: 'xargs + ssh',
      key: 'xargs',
      describe: '`xargs -P 32` running `ssh -F ssh_config HOST sh -s < probe.sh > out/HOST` per host (OpenSSH 9.2 client, default key exchange)',
      spec: (fleet, concurrency, work) => {
        const out = freshDir(join(work, 'xargs-out'));
        return {
          command: 'xargs',
          args: ['-a', fleet.psshHostsFile, '-P', String(concurrency), '-I{}', 'sh', '-c', `exec ssh -F ${fleet.sshConfigFile} "$1" sh -s < ${fleet.probeScriptFile} > ${out}/"$1" 2>/dev/null`, 'sh', '{}'],
          timeoutMs: 600_000,
          timeFile: join(work, 'time'),
        };
      },
      succeeded: (fleet, work) => countFiles(join(work, 'xargs-out'), fleet.successPattern),
    },
    {
      name: 'pssh',
      key: 'pssh',
      describe: '`parallel-ssh -h hosts -p 32 -t 60 -x "-F ssh_config" -o out -I sh -s < probe.sh` (Debian pssh)',
      spec: (fleet, concurrency, work) => ({
        command: 'parallel-ssh',
        args: ['-h', fleet.psshHostsFile, '-p', String(concurrency), '-t', '60', '-x', `-F ${fleet.sshConfigFile}`, '-o', freshDir(join(work, 'pssh-out')), '-e', freshDir(join(work, 'pssh-err')), '-I', 'sh', '-s'],
        stdinFile: fleet.probeScriptFile,
        timeoutMs: 600_000,
        timeFile: join(work, 'time'),
      }),
      succeeded: (fleet, work) => countFiles(join(work, 'pssh-out'), fleet.successPattern),
    },
    {
      name: 'clush',
      key: 'clush',
      describe: '`clush --hostfile hosts -f 32 -o "-F ssh_config" -u 60 -L sh -s < probe.sh` (Debian clustershell; stdin broadcast to every host)',
      spec: (fleet, concurrency, work) => ({
        command: 'clush',
        args: ['--hostfile', fleet.psshHostsFile, '-f', String(concurrency), '-o', `-F ${fleet.sshConfigFile}`, '-u', '60', '-L', 'sh', '-s'],
        stdinFile: fleet.probeScriptFile,
        stdoutFile: join(work, 'clush.out'),
        timeoutMs: 600_000,
        timeFile: join(work, 'time'),
      }),
      succeeded: (_fleet, work) => readFileSync(join(work, 'clush.out'), 'utf8').match(/^h\d+: @@sockaudit:[A-Za-z0-9_-]+:end show-services rc=\d+$/gm)?.length ?? 0,
    },
    {
      name: 'Ansible raw',
      key: 'ansible',
      describe: "`ansible all -f 32 -m raw -a \"sh -s <<'EOF' …probe… EOF\"` (Debian ansible-core; ControlMaster/ControlPersist off, no PTY; raw cannot send stdin, so the script travels as a here-document and reaches `sh -s` on stdin on the host)",
      spec: (fleet, concurrency, work) => {
        const config = join(work, 'ansible.cfg');
        writeFileSync(config, '[defaults]\n');
        const script = readFileSync(fleet.probeScriptFile, 'utf8');
        return {
          command: 'ansible',
          args: ['all', '-i', fleet.ansibleInventoryFile, '-f', String(concurrency), '-m', 'raw', '-a', `sh -s <<'SOCKAUDIT_EOF'\n${script}SOCKAUDIT_EOF`],
          env: {
            ...process.env,
            ANSIBLE_CONFIG: config,
            ANSIBLE_SSH_ARGS: `-F ${fleet.sshConfigFile} -o ControlMaster=no -o ControlPath=none`,
            ANSIBLE_HOST_KEY_CHECKING: 'True',
            ANSIBLE_SSH_USETTY: 'False',
            ANSIBLE_NOCOLOR: '1',
            ANSIBLE_LOCAL_TEMP: freshDir(join(work, 'ansible-tmp')),
            ANSIBLE_TIMEOUT: '10',
          },
          stdoutFile: join(work, 'ansible.out'),
          timeoutMs: 900_000,
          timeFile: join(work, 'time'),
        };
      },
      succeeded: (_fleet, work) => readFileSync(join(work, 'ansible.out'), 'utf8').match(/^@@sockaudit:[A-Za-z0-9_-]+:end show-services rc=\d+\r?$/gm)?.length ?? 0,
    },
  ];
}
