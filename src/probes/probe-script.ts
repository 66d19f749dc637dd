// The probe: one POSIX sh script sent on stdin to `sh -s`, one round trip per host. It is
// plain data built by pure code, so `--dry-run` can print exactly what would run.
//
// Output is a sequence of sections, each framed by marker lines that carry a per-run nonce,
// so that nothing a host prints inside a section (a unit Description, a journal line) can
// end a section early or start a forged one:
//
//   @@sockaudit:NONCE:begin NAME\n<exact stdout of the command>\n@@sockaudit:NONCE:end NAME rc=N\n
//
// A command's stderr, when non-empty, follows as section `NAME.stderr` (capped at 4 KiB).
//
// After the state sections come the evidence sections, still in the same round trip:
// `templates` (do Accept=yes sockets have their NAME@.service?), `journal-plan` (one line per
// problem socket: socket, --since epoch, units), `journal-access` (journalctl's own words on
// what this user may read) and one `journal:SOCKET` per planned socket with a bounded
// `journalctl -o json` excerpt of the socket and the units it triggers.
//
// Privilege: a host whose inventory sets `journal_sudo` gets the same script with one line
// changed at its top (`JS=1`, see probeScriptFor): its journalctl calls, and only those, run as
// `sudo -n /path/to/journalctl`. The line is in the script, not in the remote command, because
// the command reaches the user's login shell (bash, zsh, fish, csh) and `VAR=… sh -s` is not
// portable across them; the script is read by `sh` whatever that shell is.
import { randomBytes } from 'node:crypto';
import { journalFields, journalPlanAwk, templateNamesAwk } from './probe-awk.js';

/** Properties requested for every socket unit. Order is irrelevant: systemd prints its own. */
export const socketProperties = [
  'Id',
  'Names',
  'Description',
  'LoadState',
  'ActiveState',
  'SubState',
  'Result',
  'LoadError',
  'FragmentPath',
  'UnitFileState',
  'Listen',
  'Triggers',
  'Accept',
  'NAccepted',
  'NConnections',
  'NRefused',
  'MaxConnections',
  'WantedBy',
  'RequiredBy',
  'StateChangeTimestamp',
  'ActiveEnterTimestamp',
  'ActiveExitTimestamp',
  'InactiveEnterTimestamp',
  'InactiveExitTimestamp',
] as const;

/** Properties requested for every unit named in a socket's `Triggers=`. */
export const serviceProperties = [
  'Id',
  'Description',
  'LoadState',
  'ActiveState',
  'SubState',
  'Result',
  'LoadError',
  'FragmentPath',
  'UnitFileState',
  'ExecMainStatus',
  'ExecMainCode',
  'NRestarts',
  'ExecStart',
  'StateChangeTimestamp',
  'ActiveEnterTimestamp',
  'ActiveExitTimestamp',
  'InactiveEnterTimestamp',
  'InactiveExitTimestamp',
] as const;

/** The section names every probe prints, in order; the evidence sections follow them. */
export const probeSections = ['meta', 'version', 'state', 'units', 'unit-files', 'show-sockets', 'show-services'] as const;
export type ProbeSection = (typeof probeSections)[number];

/** Caps of the evidence: lines and bytes per journal excerpt, excerpts per host, seconds in all. */
export const journalLimits = { lines: 40, bytes: 65536, sockets: 20, budgetSeconds: 20, perCommandSeconds: 10 } as const;

/** Exit status the probe records for an excerpt it skipped because the time budget was spent. */
export const journalSkippedRc = 250;

export interface Probe {
  /** Random per run; parsers accept only markers that carry it. */
  nonce: string;
  /** The remote command line; the script itself goes to its stdin. */
  command: string;
  script: string;
}

export function newNonce(): string {
  return randomBytes(9).toString('base64url');
}

/** The marker prefix a probe with this nonce prints at the start of every frame line. */
export function markerPrefix(nonce: string): string {
  return `@@sockaudit:${nonce}:`;
}

/**
 * The nonce a probe script carries (its `M='…'` line), as a host that echoes it back would
 * read it; undefined for any other script. The demo and test hosts answer with it.
 */
export function probeScriptNonce(script: string): string | undefined {
  return /^M='@@sockaudit:([A-Za-z0-9_-]+):'$/m.exec(script)?.[1];
}

/** The script's journal_sudo line: off in the script every host shares, on in probeScriptFor's copy. */
const journalSudoOff = 'JS=0';
const journalSudoOn = 'JS=1';
const journalSudoLine = /^JS=[01]$/m;

/** Per probe, its journal_sudo copy: made once, shared by every such host of the run. */
const sudoScripts = new WeakMap<Probe, string>();

/**
 * The script one host runs: the probe's own, or for a host with `journalSudo` the copy whose
 * journalctl calls go through `sudo -n`. Same nonce, same framing; one copy per run, not per host.
 */
export function probeScriptFor(probe: Probe, host: { journalSudo?: boolean }): string {
  if (host.journalSudo !== true) return probe.script;
  let script = sudoScripts.get(probe);
  if (script === undefined) {
    script = probe.script.replace(journalSudoLine, journalSudoOn);
    sudoScripts.set(probe, script);
  }
  return script;
}

/** Whether a probe script reads the journal through sudo (its `JS=1` line); the demo hosts ask. */
export function probeScriptUsesSudo(script: string): boolean {
  return /^JS=1$/m.test(script);
}

export function buildProbe(nonce: string = newNonce()): Probe {
  if (!/^[A-Za-z0-9_-]{6,64}$/.test(nonce)) throw new Error(`invalid probe nonce ${JSON.stringify(nonce)}`);
  const script = `# sockaudit probe: read-only; prints framed sections, changes nothing on this host.
# JS=1: read the journal through sudo -n (the inventory's journal_sudo); nothing else uses sudo.
${journalSudoOff}
export LC_ALL=C TZ=UTC SYSTEMD_COLORS=0 SYSTEMD_PAGER=cat SYSTEMD_LESS=FRXMK SYSTEMD_URLIFY=0 PAGER=cat
M='${markerPrefix(nonce)}'
T=$(mktemp -d 2>/dev/null) || { T="\${TMPDIR:-/tmp}/sockaudit.$$"; mkdir -m 700 "$T" || exit 70; }
trap 'rm -rf "$T"' EXIT
# emit NAME RC: frame the captured stdout of NAME, then its stderr if any.
emit() {
  printf '%sbegin %s\\n' "$M" "$1"
  cat "$T/$1.out" 2>/dev/null
  printf '\\n%send %s rc=%s\\n' "$M" "$1" "$2"
  if [ -s "$T/$1.err" ]; then
    printf '%sbegin %s.stderr\\n' "$M" "$1"
    head -c 4096 "$T/$1.err"
    printf '\\n%send %s.stderr rc=0\\n' "$M" "$1"
  fi
}
# A hung systemctl must not outlive the audit: sshd does not pass our KILL on to a root
# session's command, so each command gets its own coreutils timeout when there is one.
TO= TJ=
if timeout --version >/dev/null 2>&1; then TO='timeout -k 5 45'; TJ='timeout -k 2 ${journalLimits.perCommandSeconds}'; fi
# run NAME CMD...: run CMD with stdin closed (stdin carries this script), capture, emit.
run() {
  n=$1; shift
  $TO "$@" </dev/null >"$T/$n.out" 2>"$T/$n.err"
  emit "$n" $?
}
{
  echo "pid1=$(cat /proc/1/comm 2>/dev/null)"
  if [ -d /run/systemd/system ]; then echo booted=yes; else echo booted=no; fi
  if command -v systemctl >/dev/null 2>&1; then echo systemctl=yes; else echo systemctl=no; fi
  echo "uid=$(id -u 2>/dev/null)"
  echo "now=$(date +%s 2>/dev/null)"
} >"$T/meta.out" 2>"$T/meta.err"
emit meta 0
# Without systemd as PID 1 there is nothing to ask; the parser reports no-systemd.
command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ] || exit 0
run version systemctl --version
run state systemctl is-system-running
run units systemctl list-units --type=socket --all --plain --no-legend --no-pager --full
run unit-files systemctl list-unit-files --type=socket --no-legend --no-pager --full
# Every socket unit: loaded ones (list-units) and installed ones nothing has loaded yet
# (list-unit-files); templates (name@.socket) have no state of their own.
# Alias names (list-unit-files state "alias") would only repeat their target's block.
awk '$2 == "alias" { next } { for (i = 1; i <= NF; i++) if ($i ~ /\\.socket$/) { print $i; break } }' "$T/units.out" "$T/unit-files.out" \\
  | grep -v '@\\.socket$' | sort -u >"$T/names"
set --
while IFS= read -r u; do set -- "$@" "$u"; done <"$T/names"
if [ $# -gt 0 ]; then
  run show-sockets systemctl show --no-pager -p ${socketProperties.join(',')} -- "$@"
else
  : >"$T/show-sockets.out"; emit show-sockets 0
fi
# Units in Triggers=: quoted and backslash-escaped on 246+, \\x5c-escaped up to 233.
V=$(sed -n 's/^systemd \\([0-9][0-9]*\\).*/\\1/p' "$T/version.out" | head -n 1)
[ -n "$V" ] || V=0
awk -v v="\${V:-0}" '/^Triggers=/ {
  n = split(substr($0, 10), a, " ")
  for (i = 1; i <= n; i++) {
    u = a[i]
    if (u ~ /^".*"$/) { u = substr(u, 2, length(u) - 2); gsub(/\\\\\\\\/, "\\\\", u) }
    else if (v + 0 <= 233) gsub(/\\\\x5c/, "\\\\", u)
    if (u != "") print u
  }
}' "$T/show-sockets.out" | sort -u >"$T/triggers"
set --
while IFS= read -r u; do set -- "$@" "$u"; done <"$T/triggers"
if [ $# -gt 0 ]; then
  run show-services systemctl show --no-pager -p ${serviceProperties.join(',')} -- "$@"
else
  : >"$T/show-services.out"; emit show-services 0
fi
` + evidenceScript() + `exit 0
`;
  return { nonce, command: 'sh -s', script };
}

/**
 * The evidence part of the script. Built from String.raw so that the awk programs reach awk
 * byte for byte; its shell text therefore avoids dollar-brace expansions.
 */
function evidenceScript(): string {
  const fields = journalFields.join(',');
  const { lines, bytes, budgetSeconds } = journalLimits;
  return String.raw`# Accept=yes sockets start NAME@.service per connection: does the template exist?
awk -v v="$V" '${templateNamesAwk}' "$T/show-sockets.out" | sort -u >"$T/tnames"
set --
while IFS= read -r u; do set -- "$@" "$u"; done <"$T/tnames"
if [ $# -gt 0 ]; then
  run templates systemctl list-unit-files --type=service --no-legend --no-pager --full -- "$@"
else
  : >"$T/templates.out"; emit templates 0
fi
# Which sockets need evidence (mirrors src/model/find-problems.ts), and since when.
TC=1; [ -s "$T/templates.err" ] && TC=0
awk -v v="$V" -v tc="$TC" -v ms=${journalLimits.sockets} -v sf="$T/show-services.out" -v tf="$T/templates.out" '${journalPlanAwk}' \
  "$T/show-services.out" "$T/templates.out" "$T/show-sockets.out" >"$T/journal-plan.out"
emit journal-plan 0
# Nothing to explain: done. With journal_sudo sudo is asked all the same, so that a sudoers that
# would refuse shows up in this audit, not in the one where a socket has failed.
[ -s "$T/journal-plan.out" ] || [ "$JS" = 1 ] || exit 0
# journalctl -o json implies -q, which hides the hint about missing permissions: ask once
# without it, so that "no lines" and "not allowed to read lines" stay apart.
if ! command -v journalctl >/dev/null 2>&1; then
  echo journalctl=no >"$T/journal-access.out"; emit journal-access 127
  exit 0
fi
echo journalctl=yes >"$T/journal-access.out"
# journal_sudo: run journalctl as "sudo -n PATH". -n makes sudo fail at once where it would ask
# for a password (stdin is closed as well), so a refusal is an answer, never a hang. The absolute
# path is what sudo checks against sudoers, and what the report's fix names. Root needs no sudo.
SJ= JC=journalctl
if [ "$JS" = 1 ]; then
  if [ "$(id -u 2>/dev/null)" = 0 ]; then
    echo sudo=root >>"$T/journal-access.out"
  elif command -v sudo >/dev/null 2>&1; then
    SJ='sudo -n'; JC=$(command -v journalctl)
    echo "sudo=yes $JC" >>"$T/journal-access.out"
  else
    echo sudo=no >>"$T/journal-access.out"; emit journal-access 127
    exit 0
  fi
fi
$TJ $SJ "$JC" --no-pager -n 0 </dev/null >/dev/null 2>"$T/journal-access.err"
rc=$?
emit journal-access $rc
[ -s "$T/journal-plan.out" ] || exit 0
# sudo refused in its own words: every excerpt would be refused (and logged by sudo) the same way.
if [ -n "$SJ" ] && [ "$rc" -ne 0 ] && grep -v 'unable to resolve host' "$T/journal-access.err" | grep -q -e '^sudo: ' -e '^Sorry, user ' -e ' is not in the sudoers file'; then
  exit 0
fi
JF=; [ "$V" -ge 236 ] && JF="--output-fields=${fields}"
J0=$(date +%s)
while IFS= read -r line; do
  # Split the plan line on TAB into positional parameters, globbing off: names are data.
  set -f; IFS='	'; set -- $line; unset IFS; set +f
  s=$1; since=$2; shift 2
  n=$#
  while [ "$n" -gt 0 ]; do set -- "$@" -u "$1"; shift; n=$((n - 1)); done
  if [ $(($(date +%s) - J0)) -ge ${budgetSeconds} ]; then
    : >"$T/journal:$s.out"; emit "journal:$s" ${journalSkippedRc}; continue
  fi
  if [ "$since" = - ]; then
    $TJ $SJ "$JC" -q --no-pager -o json $JF -n ${lines} "$@" </dev/null >"$T/j.out" 2>"$T/journal:$s.err"
  else
    $TJ $SJ "$JC" -q --no-pager -o json $JF -n ${lines} --since="@$since" "$@" </dev/null >"$T/j.out" 2>"$T/journal:$s.err"
  fi
  rc=$?
  dd if="$T/j.out" of="$T/journal:$s.out" bs=${bytes} count=1 2>/dev/null
  emit "journal:$s" $rc
done <"$T/journal-plan.out"
`;
}
