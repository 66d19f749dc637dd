#!/usr/bin/env bash
# lab.sh — a fleet of real systemd hosts for sockaudit's end-to-end tests.
#
# Each host is a systemd-nspawn container booting a Debian image: real systemd as PID 1, real
# sshd, dbus, and the socket/service units of one scenario (scenarios/<name>/). The machine
# running this needs no systemd of its own (see /work/shared/reference/real-systemd-lab.md).
#
#   lab.sh images            build the cached images (debootstrap) for the selected hosts
#   lab.sh up   [HOST...]    build missing images, boot the hosts, wait for them, drive scenarios
#   lab.sh down [HOST...]    stop everything this lab made; safe to run any time, also after a
#                            failed or interrupted `up`, and idempotent
#   lab.sh status [HOST...]  one line per host: pid, address, system state, systemd version
#   lab.sh ssh HOST [CMD...] ssh into a host as root (LAB_USER=auditor for the unprivileged user)
#
# Hosts come from hosts.conf (LAB_HOSTS_FILE), restricted by the arguments or LAB_SUITES.
# Requirements: root, systemd-container debootstrap openssh-client iproute2.
#
# Layout of the state directory (LAB_STATE, default <repo>/.e2e/lab, git-ignored):
#   images/<suite>/           read-only lower layer shared by all hosts of that suite
#   keys/id_ed25519[.pub]     the client key (root and `auditor` accept it on every host)
#   known_hosts               one line per running host (fresh host key per boot)
#   ssh_config                `ssh -F ssh_config <host>` works (strict host-key checking on)
#   inventory.tsv             name, address, suite, systemd version, scenario of running hosts
#   hosts/<name>/             per host: upper/ work/ merged/ (overlayfs), pid, nspawn.log, …
#
# Every resource `up` creates is recorded or derivable from the host name, so `down` can undo
# it without guessing: the nspawn launcher PID (pid file), the cgroups salab-<name> (in the
# named `systemd` hierarchy and in `unified`), the overlay mount at hosts/<name>/merged, the
# netns <name>, the veth salab<ADDR> and the bridge LAB_BRIDGE. Nothing is ever killed by name.
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$LAB_DIR/../../.." && pwd)
LAB_STATE=${LAB_STATE:-$REPO_DIR/.e2e/lab}
LAB_HOSTS_FILE=${LAB_HOSTS_FILE:-$LAB_DIR/hosts.conf}
LAB_BRIDGE=${LAB_BRIDGE:-salab0}
LAB_NET=${LAB_NET:-10.213.77}          # private /24; the machine's side of the bridge is .1
LAB_SUITES=${LAB_SUITES:-}
LAB_BOOT_TIMEOUT=${LAB_BOOT_TIMEOUT:-90}
CG_PREFIX=salab-                        # cgroup directory per launcher: salab-<name>
IMAGE_PACKAGES=systemd,systemd-sysv,openssh-server,dbus,iproute2,procps,netcat-openbsd
LAB_UNPRIVILEGED_USER=auditor

log() { printf '[lab %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------------------------------
# Host selection: prints "name suite addr scenario" lines.
hosts_selected() {
  local name suite addr scenario
  while read -r name suite addr scenario _; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    if [[ $# -gt 0 ]]; then
      local want=no h
      for h in "$@"; do [[ "$h" == "$name" ]] && want=yes; done
      [[ $want == yes ]] || continue
    elif [[ -n "$LAB_SUITES" && " $LAB_SUITES " != *" $suite "* ]]; then
      continue
    fi
    echo "$name $suite $addr $scenario"
  done <"$LAB_HOSTS_FILE"
}

host_field() { # host_field NAME FIELDNO (2=suite 3=addr 4=scenario)
  awk -v n="$1" -v f="$2" '$1 == n { print $f; exit }' "$LAB_HOSTS_FILE"
}

# ---------------------------------------------------------------------------------------
# Images

# The Debian mirror this machine's apt uses (never hard-coded): LAB_MIRROR, else the first
# non-security Debian URI of the deb822 .sources files, else of the one-line .list files.
debian_mirror() {
  if [[ -n "${LAB_MIRROR:-}" ]]; then echo "$LAB_MIRROR"; return; fi
  local m
  m=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '
    /^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }')
  if [[ -z "$m" ]]; then
    m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '
      $1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\//) { if ($i ~ /\/debian\/?$/) { print $i; exit } break } }')
  fi
  [[ -n "$m" ]] || die "no Debian mirror found in the apt sources; set LAB_MIRROR"
  echo "$m"
}

# image_build SUITE: debootstrap minbase + our packages, then make it a generic lab image:
# no host keys, empty machine-id (both injected per host), key-only root login, the
# unprivileged user, and units that need a tty or a network masked to keep the journal quiet.
image_build() {
  local suite=$1 img="$LAB_STATE/images/$1" tmp="$LAB_STATE/images/$1.tmp"
  [[ -f "$img/.lab-image" ]] && return 0
  local mirror t0=$SECONDS
  mirror=$(debian_mirror)
  log "image $suite: debootstrap from $mirror"
  rm -rf "$tmp" "$img"
  mkdir -p "$LAB_STATE/images"
  debootstrap --variant=minbase --include="$IMAGE_PACKAGES" "$suite" "$tmp" "$mirror" \
    >"$LAB_STATE/images/$suite.debootstrap.log" 2>&1 \
    || die "debootstrap $suite failed, see $LAB_STATE/images/$suite.debootstrap.log"

  rm -f "$tmp"/etc/ssh/ssh_host_*
  : >"$tmp/etc/machine-id"
  rm -f "$tmp/var/lib/dbus/machine-id"
  cat >"$tmp/etc/ssh/sshd_config.d/lab.conf" <<'EOF'
# sockaudit lab: key-only logins, one host key injected per host at boot.
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UseDNS no
EOF
  chroot "$tmp" useradd --create-home --shell /bin/sh "$LAB_UNPRIVILEGED_USER"
  # Units that need a tty or a network, or only make noise in a container.
  local u
  for u in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service \
           fstrim.timer getty@tty1.service console-getty.service systemd-pstore.service; do
    ln -sfn /dev/null "$tmp/etc/systemd/system/$u"
  done
  rm -rf "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/lib/apt/lists/* "$tmp"/var/log/*.log
  chroot "$tmp" systemctl --version | head -n 1 >"$tmp/.lab-image"
  mv "$tmp" "$img"
  log "image $suite: $(cat "$img/.lab-image"), $(du -sh "$img" | cut -f1), $((SECONDS - t0)) s"
}

# ---------------------------------------------------------------------------------------
# Keys

ensure_client_key() {
  mkdir -p "$LAB_STATE/keys"
  [[ -f "$LAB_STATE/keys/id_ed25519" ]] ||
    ssh-keygen -q -t ed25519 -N '' -C sockaudit-lab -f "$LAB_STATE/keys/id_ed25519"
}

ssh_opts() { # options for talking to lab hosts, strict host-key checking always on
  echo -i "$LAB_STATE/keys/id_ed25519" -o UserKnownHostsFile="$LAB_STATE/known_hosts" \
    -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes -o BatchMode=yes \
    -o ConnectTimeout=3 -o LogLevel=ERROR
}

# ---------------------------------------------------------------------------------------
# Network

bridge_up() {
  if ! ip link show "$LAB_BRIDGE" >/dev/null 2>&1; then
    ip link add "$LAB_BRIDGE" type bridge
    ip addr add "$LAB_NET.1/24" dev "$LAB_BRIDGE"
  fi
  ip link set "$LAB_BRIDGE" up
}

netns_up() { # netns_up NAME ADDR
  local name=$1 addr=$2 veth=salab$2
  ip netns add "$name"
  ip link add "$veth" type veth peer name eth0 netns "$name"
  ip link set "$veth" master "$LAB_BRIDGE" up
  ip -n "$name" link set lo up
  ip -n "$name" addr add "$LAB_NET.$addr/24" dev eth0
  ip -n "$name" link set eth0 up
}

# ---------------------------------------------------------------------------------------
# Up

# host_prepare NAME SUITE ADDR SCENARIO: overlay + per-host identity + scenario units.
host_prepare() {
  local name=$1 suite=$2 addr=$3 scenario=$4
  local hd="$LAB_STATE/hosts/$name" img="$LAB_STATE/images/$suite" sd="$LAB_DIR/scenarios/$scenario"
  [[ -d "$sd" ]] || die "$name: no scenario directory $sd"
  mkdir -p "$hd/upper" "$hd/work" "$hd/merged"
  echo "$suite $addr $scenario" >"$hd/host"
  mount -t overlay overlay -o "lowerdir=$img,upperdir=$hd/upper,workdir=$hd/work" "$hd/merged"
  local m="$hd/merged"

  # Identity: machine-id (also nspawn's --uuid), hostname, a fresh host key.
  local mid
  mid=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  echo "$mid" >"$m/etc/machine-id"
  echo "$mid" >"$hd/machine-id"
  echo "$name" >"$m/etc/hostname"
  ssh-keygen -q -t ed25519 -N '' -C "root@$name" -f "$hd/ssh_host_ed25519_key"
  install -m 600 "$hd/ssh_host_ed25519_key" "$m/etc/ssh/ssh_host_ed25519_key"
  install -m 644 "$hd/ssh_host_ed25519_key.pub" "$m/etc/ssh/ssh_host_ed25519_key.pub"

  # The lab client key opens root and the unprivileged user.
  local home uid
  install -d -m 700 "$m/root/.ssh"
  install -m 600 "$LAB_STATE/keys/id_ed25519.pub" "$m/root/.ssh/authorized_keys"
  home="$m/home/$LAB_UNPRIVILEGED_USER"
  uid=$(awk -F: -v u="$LAB_UNPRIVILEGED_USER" '$1 == u { print $3 ":" $4 }' "$m/etc/passwd")
  install -d -m 700 "$home/.ssh"
  install -m 600 "$LAB_STATE/keys/id_ed25519.pub" "$home/.ssh/authorized_keys"
  chown -R "$uid" "$home/.ssh"

  # Scenario: unit files, then install.sh for what plain files cannot say (enablement
  # symlinks, masks, escaped file names). Both act on the merged tree before boot.
  if [[ -d "$sd/units" ]]; then
    cp -a "$sd/units/." "$m/etc/systemd/system/"
  fi
  if [[ -x "$sd/install.sh" ]]; then
    "$sd/install.sh" "$m" || die "$name: $sd/install.sh failed"
  fi
}

# host_boot NAME ADDR: launch nspawn in its own cgroups, detached, PID recorded.
host_boot() {
  local name=$1 hd="$LAB_STATE/hosts/$1" cg="$CG_PREFIX$1" h
  # With --keep-unit nspawn puts the payload in <its own cgroup>/payload: every launcher
  # needs a cgroup of its own, in both the named systemd hierarchy and the unified one.
  for h in systemd unified; do mkdir -p "/sys/fs/cgroup/$h/$cg"; done
  # shellcheck disable=SC2016  # $$ and the $N below are for the inner bash
  setsid bash -c '
      echo $$ >"/sys/fs/cgroup/systemd/$1/cgroup.procs" &&
      echo $$ >"/sys/fs/cgroup/unified/$1/cgroup.procs" || exit 97
      exec systemd-nspawn --boot --directory="$2" --machine="$3" --uuid="$4" \
        --register=no --keep-unit --console=pipe \
        --network-namespace-path="/run/netns/$3" --resolv-conf=off --timezone=off' \
    lab-launch "$cg" "$hd/merged" "$name" "$(cat "$hd/machine-id")" \
    </dev/null >"$hd/nspawn.log" 2>&1 &
  echo $! >"$hd/pid"
}

# host_wait NAME ADDR: until sshd answers and systemd finished booting.
host_wait() {
  local name=$1 ip="$LAB_NET.$2" deadline=$((SECONDS + LAB_BOOT_TIMEOUT)) st
  # shellcheck disable=SC2046
  while :; do
    kill -0 "$(cat "$LAB_STATE/hosts/$name/pid")" 2>/dev/null ||
      die "$name: nspawn exited, see $LAB_STATE/hosts/$name/nspawn.log"
    st=$(ssh $(ssh_opts) "root@$ip" systemctl is-system-running --wait </dev/null 2>/dev/null) || true
    case "$st" in running|degraded) echo "$st"; return 0 ;; esac
    ((SECONDS < deadline)) || die "$name: not up after ${LAB_BOOT_TIMEOUT}s (state '${st}')"
    sleep 0.5
  done
}

cmd_images() {
  local name suite addr scenario
  while read -r name suite addr scenario; do image_build "$suite"; done < <(hosts_selected "$@")
}

cmd_up() {
  local t0=$SECONDS sel name suite addr scenario
  sel=$(hosts_selected "$@")
  [[ -n "$sel" ]] || die "no host selected"
  # Whatever happens from here on, a failed `up` leaves only what `down` removes (its logs
  # stay in hosts/<name>/ until then).
  trap 'rc=$?; ((rc == 0)) || log "up failed (exit $rc): lab.sh down removes everything it made"' EXIT
  while read -r name suite addr scenario; do image_build "$suite"; done <<<"$sel"
  ensure_client_key
  bridge_up
  local t1=$SECONDS
  while read -r name suite addr scenario; do
    [[ -e "$LAB_STATE/hosts/$name" ]] && die "$name: already up (or left over): run lab.sh down $name"
    netns_up "$name" "$addr"
    host_prepare "$name" "$suite" "$addr" "$scenario"
    # The host key is fresh for every boot: known_hosts is rewritten line by line.
    touch "$LAB_STATE/known_hosts"
    sed -i "/^$LAB_NET\.$addr /d" "$LAB_STATE/known_hosts"
    echo "$LAB_NET.$addr $(cut -d' ' -f1,2 "$LAB_STATE/hosts/$name/ssh_host_ed25519_key.pub")" \
      >>"$LAB_STATE/known_hosts"
    host_boot "$name" "$addr"
  done <<<"$sel"
  while read -r name suite addr scenario; do
    log "$name: $(host_wait "$name" "$addr")"
  done <<<"$sel"
  local t2=$SECONDS
  # Drive the scenarios (connections, starts that must fail, …) in parallel, as root.
  local pids=() rc=0
  while read -r name suite addr scenario; do
    # shellcheck disable=SC2046
    ssh $(ssh_opts) "root@$LAB_NET.$addr" sh -s <"$LAB_DIR/scenarios/$scenario/drive.sh" \
      >"$LAB_STATE/hosts/$name/drive.log" 2>&1 &
    pids+=($!)
  done <<<"$sel"
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  ((rc == 0)) || die "a scenario drive failed, see $LAB_STATE/hosts/*/drive.log"
  write_inventory
  trap - EXIT
  log "up: $(wc -l <<<"$sel") hosts; images $((t1 - t0)) s, boot $((t2 - t1)) s, drive $((SECONDS - t2)) s"
}

# inventory.tsv and ssh_config for every host that has a state directory.
write_inventory() {
  local inv="$LAB_STATE/inventory.tsv" cfg="$LAB_STATE/ssh_config" hd name suite addr scenario ver
  printf '# name\taddress\tsuite\tsystemd\tscenario\n' >"$inv"
  : >"$cfg"
  for hd in "$LAB_STATE"/hosts/*/; do
    [[ -f "$hd/host" ]] || continue
    name=$(basename "$hd")
    read -r suite addr scenario <"$hd/host"
    ver=$(cut -d' ' -f2 "$LAB_STATE/images/$suite/.lab-image" 2>/dev/null || echo '?')
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$LAB_NET.$addr" "$suite" "$ver" "$scenario" >>"$inv"
    cat >>"$cfg" <<EOF
Host $name
  HostName $LAB_NET.$addr
  User root
  IdentityFile $LAB_STATE/keys/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $LAB_STATE/known_hosts
  StrictHostKeyChecking yes
  BatchMode yes
  LogLevel ERROR
EOF
  done
}

# ---------------------------------------------------------------------------------------
# Down: every step tolerates "already gone", so it also cleans up after a failed up.

# Kill, by PID, the processes left in a host's cgroups (only if the launcher died badly),
# then remove the cgroup directories bottom-up.
cgroup_clean() {
  local cg="$CG_PREFIX$1" h d p
  for h in systemd unified; do
    d="/sys/fs/cgroup/$h/$cg"
    [[ -d "$d" ]] || continue
    for p in $(find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null); do
      kill -KILL "$p" 2>/dev/null || true
    done
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
      [[ -d "$d" ]] || break
      sleep 0.2
    done
    [[ -d "$d" ]] && log "warning: could not remove cgroup $d"
  done
  return 0
}

host_down() {
  local name=$1 addr=$2 hd="$LAB_STATE/hosts/$1" pid i
  # The recorded PID is only ours if it still is the nspawn we launched.
  if pid=$(nspawn_pid "$name"); then
    # SIGTERM makes nspawn ask the container's systemd for a clean poweroff (SIGRTMIN+3).
    # A request that arrives before PID 1 installed its handlers is lost, so repeat it.
    for i in $(seq 1 100); do
      if ((i % 20 == 1)); then kill -TERM "$pid" 2>/dev/null || true; fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name: nspawn $pid ignored SIGTERM for 10 s, killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  cgroup_clean "$name"
  if mountpoint -q "$hd/merged" 2>/dev/null; then
    # nspawn's lock on the image directory (named after its device and inode) may outlive it.
    rm -f "/run/systemd/nspawn/locks/inode-$(stat -c %d:%i "$hd/merged")"
    umount "$hd/merged" 2>/dev/null || umount -l "$hd/merged"
  fi
  ip netns del "$name" 2>/dev/null || true
  ip link del "salab$addr" 2>/dev/null || true
  rm -rf "/run/systemd/nspawn/propagate/$name" "$hd"
  if [[ -f "$LAB_STATE/known_hosts" ]]; then sed -i "/^$LAB_NET\.$addr /d" "$LAB_STATE/known_hosts"; fi
}

# The recorded launcher PID of a host, if it still is the systemd-nspawn we started.
nspawn_pid() {
  local pid
  pid=$(cat "$LAB_STATE/hosts/$1/pid" 2>/dev/null) || return 1
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == systemd-nspawn ]] && echo "$pid"
}

cmd_down() {
  local t0=$SECONDS name suite addr scenario hd pid sel
  sel=$(hosts_selected "$@")
  # Ask every container to power off at once, then tear the hosts down one by one.
  while read -r name suite addr scenario; do
    [[ -n "$name" ]] || continue
    if pid=$(nspawn_pid "$name"); then kill -TERM "$pid" 2>/dev/null || true; fi
  done <<<"$sel"
  while read -r name suite addr scenario; do
    [[ -n "$name" ]] || continue
    host_down "$name" "$addr"
  done <<<"$sel"
  # Hosts that are in the state directory but no longer in hosts.conf (only on a plain
  # `down`: a down restricted to some hosts or LAB_SUITES leaves the others alone).
  if [[ $# -eq 0 && -z "$LAB_SUITES" ]]; then
    for hd in "$LAB_STATE"/hosts/*/; do
      [[ -f "$hd/host" ]] || continue
      name=$(basename "$hd")
      [[ -n "$(host_field "$name" 1)" ]] && continue
      read -r suite addr scenario <"$hd/host"
      host_down "$name" "$addr"
    done
  fi
  # The bridge goes with the last host.
  if ! compgen -G "$LAB_STATE/hosts/*/host" >/dev/null; then
    ip link del "$LAB_BRIDGE" 2>/dev/null || true
    # nspawn's own scratch directories, if nothing else uses them.
    rmdir /run/systemd/nspawn/propagate /run/systemd/nspawn/locks /run/systemd/nspawn 2>/dev/null || true
    rmdir "$LAB_STATE/hosts" 2>/dev/null || true
  fi
  [[ -d "$LAB_STATE" ]] && write_inventory
  log "down: $((SECONDS - t0)) s"
}

# ---------------------------------------------------------------------------------------

cmd_status() {
  local name suite addr scenario hd pid st ver
  printf '%-12s %-8s %-14s %-9s %-10s %s\n' NAME PID ADDRESS SUITE STATE VERSION
  while read -r name suite addr scenario; do
    hd="$LAB_STATE/hosts/$name"
    pid=$(cat "$hd/pid" 2>/dev/null || echo -)
    [[ $pid != - && "$(cat "/proc/$pid/comm" 2>/dev/null)" != systemd-nspawn ]] && pid="$pid(dead)"
    st=- ver=-
    if [[ -d "$hd" ]]; then
      # shellcheck disable=SC2046
      st=$(ssh $(ssh_opts) "root@$LAB_NET.$addr" systemctl is-system-running </dev/null 2>/dev/null) || true
      # shellcheck disable=SC2046
      ver=$(ssh $(ssh_opts) "root@$LAB_NET.$addr" systemctl --version </dev/null 2>/dev/null | head -n 1) || true
    fi
    printf '%-12s %-8s %-14s %-9s %-10s %s\n' "$name" "$pid" "$LAB_NET.$addr" "$suite" "${st:-?}" "${ver:--}"
  done < <(hosts_selected "$@")
}

cmd_ssh() {
  local name=${1:?host name} addr
  shift
  addr=$(host_field "$name" 3)
  [[ -n "$addr" ]] || die "unknown host $name"
  # shellcheck disable=SC2046
  exec ssh $(ssh_opts) "${LAB_USER:-root}@$LAB_NET.$addr" "$@"
}

[[ $(id -u) -eq 0 ]] || die "must run as root"
cmd=${1:-}
shift || true
case "$cmd" in
  images) cmd_images "$@" ;;
  up) cmd_up "$@" ;;
  down) cmd_down "$@" ;;
  status) cmd_status "$@" ;;
  ssh) cmd_ssh "$@" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2 ;;
esac
