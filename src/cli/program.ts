// The commander program. Commander parses; validation of values happens in the commands so
// that every bad value gets the same kind of message and exit code 2. Only `audit` is imported
// up front: the other commands (and what they pull in: report readers, diff, merge, the demo
// fleet) are imported when they run, so that an audit does not pay for loading them.
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../model/config-error.js';
import { ExitCode } from '../model/exit-code.js';
import { toolVersion } from '../version.js';
import { auditCommand, auditDefaults, type AuditFlags } from './audit-command.js';
import type { CliIo } from './cli-io.js';
import type { DiffFlags } from './diff-command.js';
import { diffFormats } from './diff-formats.js';
import { reportFormats } from './flags.js';
import type { ExplicitGateFlags } from './gate-options.js';
import type { ReportFlags } from './report-command.js';

const exitCodesHelp = `
Exit codes:
  0  audit complete, no finding fails the gate (none at or above --fail-on, or all waived or
     already in the --baseline)
  1  the gate failed: a finding at or above --fail-on, not waived by --policy, new against
     --baseline (or its waiver expired)
  2  usage, inventory, policy or internal error (nothing was contacted for usage/inventory/policy errors)
  3  audit incomplete: more hosts unknown than --max-unknown allows, and no finding fails the gate`;

const diffExitCodesHelp = `
Exit codes:
  0  nothing new: no new finding, no host newly unknown
  1  something new: a finding the old run did not have (same host, unit, kind), or a host
     audited before (or not in the old run) that is unknown now
  2  usage error, or a file that is not a sockaudit JSON/JSONL report`;

/** Which gate flags were typed: those win over the policy file; commander's defaults do not. */
function explicitGate(command: Command): ExplicitGateFlags {
  return { maxUnknown: command.getOptionValueSource('maxUnknown') === 'cli', failOn: command.getOptionValueSource('failOn') === 'cli' };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Where reports go and how the run is gated: shared by `audit`, `demo` and `report`. */
function addOutputOptions(command: Command): Command {
  return command
    .addOption(new Option('-f, --format <format>', `report format on stdout: ${reportFormats.join('|')}`).default('table'))
    .option('-o, --output <file>', 'write the report to FILE instead of stdout')
    .option('--report <format:file>', 'also write a report in FORMAT to FILE (repeatable), e.g. html:audit.html', collect, [])
    .option('--max-unknown <n|n%>', 'unknown hosts tolerated before exit code 3 (wins over the policy file)', '0')
    .option('--fail-on <severity>', 'lowest finding severity that fails the gate: notice|warning|critical (wins over the policy file)', 'warning')
    .option('--no-color', 'never colour the table (NO_COLOR is honoured too)');
}

/** The policy and the baseline: shared by `audit`, `demo`, `report` and `merge` (re-gating saved runs). */
function addPolicyOptions(command: Command): Command {
  return command
    .option('--policy <file>', 'policy YAML: waivers with expiry dates, required sockets, thresholds (see policy.example.yaml)')
    .option('--baseline <file>', 'JSON/JSONL report of an earlier run: only findings new against it (same host, unit, kind) fail the gate')
    .option('--warn-before-days <n>', "warn about waivers expiring within N days (default: the policy's warn_before_days, else 7)");
}

/** Options shared by `audit` and `demo`: everything but the inventory. */
function addAuditOptions(command: Command): Command {
  return addPolicyOptions(addOutputOptions(command))
    .option('-l, --limit <pattern>', 'only hosts matching a name glob or @group; !pattern excludes (repeatable, comma-separated)', collect, [])
    .option('-c, --concurrency <n>', 'hosts audited at once', auditDefaults.concurrency)
    .option('--connect-timeout <duration>', 'TCP connect + SSH handshake + auth, e.g. 10s (overrides the inventory)')
    .option('--command-timeout <duration>', 'deadline for the probe once connected, e.g. 60s (overrides the inventory)')
    .option('--max-output <size>', "cap on one host's probe output", auditDefaults.maxOutput)
    .option('--max-per-address <n>', 'SSH sessions at once towards one address:port (keep below its sshd MaxStartups)', auditDefaults.maxPerAddress)
    .option('--retries <n>', 'retries of a connection reset or closed during the SSH handshake (never for auth or host-key failures)', auditDefaults.retries)
    .option('--deadline <duration>', 'deadline for the whole run, e.g. 10m; hosts not done by then are reported unknown (deadline)')
    .option('--accept-new-host-keys', "append unknown host keys to known_hosts (like OpenSSH's accept-new); changed keys are still refused", false)
    .option('--dry-run', 'print the selected hosts and the probe script; contact nothing', false)
    .option('--no-progress', 'no progress bar on stderr (it is only drawn on a TTY anyway)');
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = ExitCode.clean;
  const program = new Command('sockaudit')
    .description('Audit systemd socket units across a fleet of Linux hosts over SSH.')
    .version(toolVersion)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .addHelpText('after', exitCodesHelp);

  addAuditOptions(
    program
      .command('audit')
      .description('audit every host of an inventory and report failed socket units')
      .option('-i, --inventory <file>', 'inventory YAML file (see inventory.example.yaml), or ansible:FILE for an Ansible INI/YAML inventory')
      .option('-F, --ssh-config <file>', 'OpenSSH client config applied under the inventory (default ~/.ssh/config when it exists; none: ignore it)')
      .option('--local', 'audit this machine, without SSH and without an inventory', false)
      .option('--transport <name>', 'ssh2 (built in) or openssh (the system ssh client: Kerberos, FIDO keys, ProxyCommand)', 'ssh2')
      .option('--shard <K/N>', 'audit only slice K of N of the selected hosts (stable by host name); join the slices with `sockaudit merge`'),
  )
    .addHelpText('after', exitCodesHelp)
    .action(async (flags: AuditFlags, command: Command) => {
      exitCode = await auditCommand({ ...flags, explicit: explicitGate(command) }, io);
    });

  addAuditOptions(
    program.command('demo').description('start a built-in demo fleet of in-process SSH hosts and audit it'),
  ).action(async (flags: Omit<AuditFlags, 'inventory'>, command: Command) => {
    const { demoCommand } = await import('./demo-command.js');
    exitCode = await demoCommand({ ...flags, explicit: explicitGate(command) }, io);
  });

  addPolicyOptions(addOutputOptions(
    program
      .command('report')
      .argument('<file>', 'a report saved by `audit -f json` or `-f jsonl` (- reads stdin)')
      .description('re-render a saved JSON/JSONL report in any format, without contacting a host; exits like the audit did (or re-gates it with the options given)'),
  ))
    .addHelpText('after', exitCodesHelp)
    .action(async (file: string, flags: ReportFlags, command: Command) => {
      const { reportCommand } = await import('./report-command.js');
      exitCode = await reportCommand(file, { ...flags, explicit: explicitGate(command) }, io);
    });

  program
    .command('diff')
    .argument('<old>', 'the earlier run: a report saved by `audit -f json` or `-f jsonl`')
    .argument('<new>', 'the later run')
    .description('what changed between two saved runs: new, resolved and persisting findings, hosts that became unknown or came back')
    .addOption(new Option('-f, --format <format>', `output format: ${diffFormats.join('|')}`).default('table'))
    .option('-o, --output <file>', 'write the diff to FILE instead of stdout')
    .addHelpText('after', diffExitCodesHelp)
    .action(async (oldFile: string, newFile: string, flags: DiffFlags) => {
      const { diffCommand } = await import('./diff-command.js');
      exitCode = await diffCommand(oldFile, newFile, flags, io);
    });

  addPolicyOptions(addOutputOptions(
    program
      .command('merge')
      .argument('<files...>', 'JSON/JSONL reports of `audit --shard K/N` runs (or of any audits of distinct hosts)')
      .description('merge the reports of the slices of one fleet into one report; says which hosts are duplicated or missing'),
  ))
    .addHelpText('after', exitCodesHelp)
    .action(async (files: string[], flags: ReportFlags, command: Command) => {
      const { mergeCommand } = await import('./merge-command.js');
      exitCode = await mergeCommand(files, { ...flags, explicit: explicitGate(command) }, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0; usage mistakes are 2.
      return error.exitCode === 0 ? ExitCode.clean : ExitCode.usage;
    }
    if (error instanceof ConfigError) {
      io.stderr.write(`sockaudit: ${error.issues.length === 1 ? 'error' : `${error.issues.length} errors`}:\n${error.message.replace(/^/gm, '  ')}\n`);
      return ExitCode.usage;
    }
    io.stderr.write(`sockaudit: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return ExitCode.usage;
  }
  return exitCode;
}
