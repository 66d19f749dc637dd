#!/usr/bin/env bash
# capture.sh — (re)capture the probe and command fixtures from a fresh lab fleet.
#
#   capture.sh [--keep] [--no-up] [HOST...]
#
# Default: `lab.sh down` + `lab.sh up` for the selected hosts (all of hosts.conf, or the
# named ones, or LAB_SUITES), capture, then `lab.sh down`. --no-up captures from hosts that
# are already up (and left as they are); --keep leaves the fleet running afterwards.
#
# Per host NAME (scenario SCN) running systemd VERSION it writes:
#   test/fixtures/probe/systemd-VERSION/SCN.txt           the probe as root (nonce FIXTURENONCE)
#   test/fixtures/probe/systemd-VERSION/SCN.nonroot.txt   the probe as the unprivileged user
#                                                         (failures scenario only)
#   test/fixtures/commands/systemd-VERSION/SCN/NAME.txt   stdout of one command, exactly
#   test/fixtures/commands/systemd-VERSION/SCN/NAME.stderr.txt   its stderr, when not empty
#   test/fixtures/commands/systemd-VERSION/SCN/index.tsv  NAME, exit status, user, command line
# Order matters: the probe runs first on a freshly driven host, `status` last (the probe's and
# capture's `show` of a not-loaded unit file loads it for a moment; status of a glob does not).
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$LAB_DIR/../../.." && pwd)
LAB_STATE=${LAB_STATE:-$REPO_DIR/.e2e/lab}
LAB_NET=${LAB_NET:-10.213.77}
export LAB_STATE LAB_NET
PROBE_FIX="$REPO_DIR/test/fixtures/probe"
CMD_FIX="$REPO_DIR/test/fixtures/commands"
NONCE=FIXTURENONCE

keep=no up=yes
while [[ $# -gt 0 ]]; do
  case "$1" in
    --keep) keep=yes; shift ;;
    --no-up) up=no; keep=yes; shift ;;
    *) break ;;
  esac
done

log() { printf '[capture %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# The probe script and the property lists, straight from src/probes/probe-script.ts
# (compiled alone, so that other files in flux cannot break the build).
WORK=$(mktemp -d /var/tmp/sockaudit-capture.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
(cd "$REPO_DIR" && npx tsc --outDir "$WORK/pb" --module nodenext --moduleResolution nodenext \
  --target es2022 src/probes/probe-script.ts)
node -e "import('$WORK/pb/probe-script.js').then(m => {
  const fs = require('node:fs');
  fs.writeFileSync('$WORK/probe.sh', m.buildProbe('$NONCE').script);
  fs.writeFileSync('$WORK/socket-props', m.socketProperties.join(','));
  fs.writeFileSync('$WORK/service-props', m.serviceProperties.join(','));
})"
SOCKET_PROPS=$(cat "$WORK/socket-props")
SERVICE_PROPS=$(cat "$WORK/service-props")

if [[ $up == yes ]]; then
  "$LAB_DIR/lab.sh" down "$@"
  "$LAB_DIR/lab.sh" up "$@"
fi

ssh_to() { # ssh_to USER ADDR ARGS... (strict host-key checking, lab key)
  local user=$1 addr=$2
  shift 2
  ssh -i "$LAB_STATE/keys/id_ed25519" -o UserKnownHostsFile="$LAB_STATE/known_hosts" \
    -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes -o BatchMode=yes -o LogLevel=ERROR \
    "$user@$addr" "$@"
}

# The environment the probe itself sets, for every single-command capture.
ENV='export LC_ALL=C TZ=UTC SYSTEMD_COLORS=0 SYSTEMD_PAGER=cat SYSTEMD_LESS=FRXMK SYSTEMD_URLIFY=0 PAGER=cat'

# rcmd DIR NAME USER ADDR COMMAND: run COMMAND (sh syntax) on the host, keep stdout, stderr
# and exit status.
rcmd() {
  local dir=$1 name=$2 user=$3 addr=$4 cmd=$5 rc=0
  printf '%s\n%s\n' "$ENV" "$cmd" | ssh_to "$user" "$addr" sh -s >"$dir/$name.txt" 2>"$dir/$name.stderr.txt" || rc=$?
  [[ -s "$dir/$name.stderr.txt" ]] || rm -f "$dir/$name.stderr.txt"
  printf '%s\t%s\t%s\t%s\n' "$name" "$rc" "$user" "$cmd" >>"$dir/index.tsv"
}

# Socket names exactly as the probe finds them (loaded + installed, no templates), and the
# units in their Triggers= (shell-quoted from 246, so the shell can split them).
SOCKETS_SH='{ systemctl list-units --type=socket --all --plain --no-legend --no-pager --full;'\
' systemctl list-unit-files --type=socket --no-legend --no-pager --full; } |'\
' awk '"'"'{ for (i = 1; i <= NF; i++) if ($i ~ /\.socket$/) { print $i; break } }'"'"' |'\
' grep -v "@\.socket$" | sort -u'
TRIGGERS_SH="for s in \$($SOCKETS_SH); do eval \"set -- \$(systemctl show -p Triggers --value -- \"\$s\")\"; for u; do echo \"\$u\"; done; done | sort -u"

# Status of the lab unit files that are not loaded (plain name comparison: unit names with
# backslashes are not usable as glob patterns).
NOT_LOADED_SH=$(cat <<'EOF2'
L=$(systemctl list-units --all --no-legend --plain --full 'lab*' | awk '{print $1}'); set -- $(systemctl list-unit-files --no-legend --no-pager --full 'lab*' | awk '$1 !~ /@\./ {print $1}' | while read -r u; do printf '%s\n' "$L" | grep -qxF -- "$u" || echo "$u"; done); [ $# -eq 0 ] || systemctl status --no-pager --full -n 5 -- "$@"
EOF2
)

capture_host() {
  local name=$1 addr=$2 scenario=$3 ver pdir cdir
  ver=$(ssh_to root "$addr" systemctl --version </dev/null | sed -n '1s/^systemd \([0-9]*\).*/\1/p')
  [[ -n "$ver" ]] || { log "$name: no systemd version"; return 1; }
  pdir="$PROBE_FIX/systemd-$ver" cdir="$CMD_FIX/systemd-$ver/$scenario"
  mkdir -p "$pdir" "$cdir"
  rm -f "$cdir"/*.txt "$cdir/index.tsv"
  printf '# name\texit\tuser\tcommand (run with: %s)\n' "$ENV" >"$cdir/index.tsv"

  # 1. The probe, as sockaudit sends it: `sh -s`, script on stdin.
  ssh_to root "$addr" sh -s <"$WORK/probe.sh" >"$pdir/$scenario.txt"
  if [[ $scenario == failures ]]; then
    ssh_to auditor "$addr" sh -s <"$WORK/probe.sh" >"$pdir/$scenario.nonroot.txt"
  fi
  ssh_to auditor "$addr" sh -s <"$WORK/probe.sh" >"$cdir/probe-nonroot.txt"
  printf '%s\t%s\t%s\t%s\n' probe-nonroot 0 auditor "sh -s < probe (nonce $NONCE)" >>"$cdir/index.tsv"

  # 2. Single commands.
  rcmd "$cdir" version root "$addr" 'systemctl --version'
  rcmd "$cdir" list-units.plain root "$addr" 'systemctl list-units --type=socket --all --plain --no-legend --no-pager --full'
  rcmd "$cdir" list-units.legend root "$addr" 'systemctl list-units --type=socket --all --no-pager --full'
  rcmd "$cdir" list-units.legend.utf8 root "$addr" 'LC_ALL=C.UTF-8 systemctl list-units --type=socket --all --no-pager --full'
  rcmd "$cdir" list-units.no-legend root "$addr" 'systemctl list-units --type=socket --all --no-legend --no-pager --full'
  rcmd "$cdir" list-units.json root "$addr" 'systemctl list-units --type=socket --all --no-pager --full --output=json'
  rcmd "$cdir" list-units.failed root "$addr" 'systemctl list-units --failed --plain --no-legend --no-pager --full'
  rcmd "$cdir" list-unit-files root "$addr" 'systemctl list-unit-files --type=socket --no-legend --no-pager --full'
  rcmd "$cdir" list-unit-files.legend root "$addr" 'systemctl list-unit-files --type=socket --no-pager --full'
  rcmd "$cdir" list-sockets root "$addr" 'systemctl list-sockets --all --show-types --no-pager --full'
  rcmd "$cdir" list-sockets.json root "$addr" 'systemctl list-sockets --all --show-types --no-pager --full --output=json'
  rcmd "$cdir" show-sockets root "$addr" "set -- \$($SOCKETS_SH); systemctl show --no-pager -p $SOCKET_PROPS -- \"\$@\""
  rcmd "$cdir" show-services root "$addr" "set -- \$($TRIGGERS_SH); systemctl show --no-pager -p $SERVICE_PROPS -- \"\$@\""
  rcmd "$cdir" show-sockets.unix-timestamps root "$addr" "set -- \$($SOCKETS_SH); systemctl show --no-pager --timestamp=unix -p $SOCKET_PROPS -- \"\$@\""
  rcmd "$cdir" journal root "$addr" "journalctl --no-pager -o short-iso-precise -u 'lab*'"
  rcmd "$cdir" journal.json root "$addr" "journalctl --no-pager -o json -u 'lab*'"
  rcmd "$cdir" journal.nonroot auditor "$addr" "journalctl --no-pager -o short-iso-precise -u 'lab*'"
  rcmd "$cdir" status root "$addr" "systemctl status --no-pager --full -n 5 'lab*'"
  rcmd "$cdir" status.all root "$addr" "systemctl status --all --no-pager --full -n 5 'lab*'"
  # Last, because it loads them: status of lab unit files that nothing has loaded.
  rcmd "$cdir" status.not-loaded root "$addr" "$NOT_LOADED_SH"
  log "$name: systemd $ver, $scenario -> $pdir/$scenario.txt, $cdir/"
}

# Only the plain scenario containers are captured: the other hosts of hosts.conf (bad SSH
# targets, extra logins, no systemd) have nothing for the parser fixtures.
while read -r name kind suite addr scenario opts; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  [[ $kind == nspawn && -z "${opts:-}" && $scenario != plain ]] || continue
  if [[ $# -gt 0 ]]; then [[ " $* " == *" $name "* ]] || continue
  elif [[ -n "${LAB_SUITES:-}" && " $LAB_SUITES " != *" $suite "* ]]; then continue; fi
  capture_host "$name" "$LAB_NET.$addr" "$scenario" </dev/null
done <"${LAB_HOSTS_FILE:-$LAB_DIR/hosts.conf}"

[[ $keep == yes ]] || "$LAB_DIR/lab.sh" down "$@"
