#!/usr/bin/env bash
# lab.sh — a fleet of real hosts for sockaudit's end-to-end tests.
#
# Most hosts are systemd-nspawn containers booting a Debian image: real systemd as PID 1, real
# sshd, dbus, and the socket/service units of one scenario (scenarios/<name>/). Around them:
# hosts that are bad SSH targets on purpose (unknown or changed host key, our key not
# authorized, a real sshd whose PID 1 is not systemd, an address where nothing listens, an
# address nothing has) and extra logins (an unprivileged user). The machine running this needs
# no systemd of its own (see the team reference real-systemd-lab.md).
#
#   lab.sh check             say whether this machine can run the lab (exit 0) or why not
#   lab.sh images            build the cached images (debootstrap, suites in parallel)
#   lab.sh up   [HOST...]    build missing images, boot the hosts, wait for them, drive scenarios,
#                            write the inventory
#   lab.sh down [HOST...]    stop everything this lab made; safe to run any time, also after a
#                            failed or interrupted `up`, and idempotent
#   lab.sh status [HOST...]  one line per host: kind, pid, address, system state, systemd version
#   lab.sh ssh HOST [CMD...] ssh into a host (as its inventory user; LAB_USER overrides)
#
# Hosts come from hosts.conf (LAB_HOSTS_FILE), restricted by the arguments or LAB_SUITES.
# Requirements: root, Debian-like, systemd-container debootstrap openssh-server openssh-client
# iproute2, cgroups in the hybrid layout (named `systemd` hierarchy + `unified`).
#
# Layout of the state directory (LAB_STATE, default <repo>/.e2e/lab, git-ignored):
#   images/<suite>/           read-only lower layer shared by all hosts of that suite (cache)
#   keys/id_ed25519[.pub]     the fleet's client key: what sockaudit logs in with (root and
#                             `auditor` accept it, except where authkey=other)
#   keys/admin_ed25519[.pub]  the lab's own key: root accepts it on every host, so that the
#                             harness can wait for and drive hosts that reject the fleet's key
#   known_hosts               the fleet's known_hosts, as an operator would have it: one line
#                             per host, except hostkey=absent (none) and hostkey=changed (an
#                             older key)
#   known_hosts.all           the true host keys of every host (used by the harness; strict)
#   inventory.yaml            sockaudit inventory of every host that is up (hosts.conf order;
#                             paths relative to this directory)
#   inventory.tsv             name, kind, address, suite, systemd version, scenario, options
#   ssh_config                `ssh -F ssh_config <host>` works (strict host-key checking on)
#   hosts/<name>/             per host: host (its hosts.conf line), pid, logs, keys, and for
#                             containers upper/ work/ merged/ (overlayfs)
#
# Every resource `up` creates is recorded or derivable from the host name, so `down` can undo
# it without guessing: the launcher PID (pid file; only signalled while it still is the
# systemd-nspawn/sshd we started, in our cgroup), the cgroups salab-<name> (in the named
# `systemd` hierarchy and in `unified`), the overlay mount at hosts/<name>/merged, the netns
# <name>, the veth salab<ADDR>, the bridge LAB_BRIDGE, /run/sshd if we created it, mounts a
# killed debootstrap left under images/. Nothing is ever killed by name.
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$LAB_DIR/../../.." && pwd)
LAB_STATE=${LAB_STATE:-$REPO_DIR/.e2e/lab}
LAB_HOSTS_FILE=${LAB_HOSTS_FILE:-$LAB_DIR/hosts.conf}
LAB_BRIDGE=${LAB_BRIDGE:-salab0}
LAB_NET=${LAB_NET:-10.213.77}          # private /24; the machine's side of the bridge is .1
# The inner network: hosts reachable only through a jump host (behind=NAME). Its bridge has no
# address on this machine and no route leads there: only jump hosts (bastion=inner) reach it.
LAB_INNER_BRIDGE=${LAB_INNER_BRIDGE:-salab1}
LAB_INNER_NET=${LAB_INNER_NET:-10.213.78}
LAB_SUITES=${LAB_SUITES:-}
LAB_BOOT_TIMEOUT=${LAB_BOOT_TIMEOUT:-90}
CG_PREFIX=salab-                        # cgroup directory per launcher: salab-<name>
IMAGE_PACKAGES=systemd,systemd-sysv,openssh-server,dbus,iproute2,procps,netcat-openbsd,sudo
# Bumped whenever image_build changes what an image holds: a cached image of another recipe is
# rebuilt (when no host is up on it).
IMAGE_RECIPE="2 $IMAGE_PACKAGES"
LAB_UNPRIVILEGED_USER=auditor
KINDS=" nspawn sshd netns none login "
PACKAGES="systemd-container debootstrap openssh-server openssh-client iproute2"

log() { printf '[lab %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------------------------------
# Preflight: can this machine run the lab at all? Prints one line per problem.

preflight() {
  local problems=() c
  [[ $(id -u) -eq 0 ]] || problems+=("not root (the lab mounts overlays, creates network namespaces and boots containers)")
  [[ $(uname -s) == Linux ]] || problems+=("not Linux")
  [[ -f /etc/debian_version ]] || problems+=("not a Debian-like machine (no /etc/debian_version); images are built with debootstrap from the apt mirror")
  for c in systemd-nspawn debootstrap ssh ssh-keygen ip chroot mountpoint; do
    command -v "$c" >/dev/null 2>&1 || problems+=("command $c is missing")
  done
  [[ -x /usr/sbin/sshd ]] || problems+=("/usr/sbin/sshd is missing")
  if [[ ! -d /sys/fs/cgroup/systemd || ! -d /sys/fs/cgroup/unified ]]; then
    problems+=("cgroups are not in the hybrid layout (need /sys/fs/cgroup/systemd and /sys/fs/cgroup/unified)")
  fi
  ((${#problems[@]} == 0)) && return 0
  for c in "${problems[@]}"; do printf '  - %s\n' "$c"; done
  printf 'The lab needs root on a Debian-like Linux machine with: apt-get install -y %s\n' "$PACKAGES"
  return 1
}

cmd_check() {
  local out
  if out=$(preflight); then echo "lab: this machine can run the lab"; return 0; fi
  printf 'lab: this machine cannot run the lab:\n%s\n' "$out" >&2
  return 2
}

# ---------------------------------------------------------------------------------------
# Hosts: hosts.conf lines are "NAME KIND SUITE ADDR SCENARIO [OPTION...]".

# hosts_selected [NAME...]: the selected lines, normalised to single spaces.
hosts_selected() {
  local name kind suite addr scenario opts
  while read -r name kind suite addr scenario opts; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    if [[ $# -gt 0 ]]; then
      local want=no h
      for h in "$@"; do [[ "$h" == "$name" ]] && want=yes; done
      [[ $want == yes ]] || continue
    elif [[ -n "$LAB_SUITES" && "$suite" != - && " $LAB_SUITES " != *" $suite "* ]]; then
      continue
    fi
    echo "$name $kind $suite $addr $scenario ${opts:-}"
  done <"$LAB_HOSTS_FILE"
}

# opt KEY "OPTIONS": the value of KEY=VALUE among the space-separated options, or nothing.
opt() {
  local key=$1 o
  for o in ${2:-}; do
    if [[ $o == "$key="* ]]; then echo "${o#*=}"; return 0; fi
  done
  return 0
}

# conf_check LINES: the selected hosts.conf lines make sense (before anything is created).
conf_check() {
  local name kind suite addr scenario opts seen=" " addrs=" " o net
  while read -r name kind suite addr scenario opts; do
    [[ -n "$name" ]] || continue
    [[ $name =~ ^[a-z0-9-]{1,11}$ ]] || die "$name: a host name is 1-11 characters [a-z0-9-]"
    [[ $seen != *" $name "* ]] || die "$name: listed twice"
    seen+="$name "
    [[ $KINDS == *" $kind "* ]] || die "$name: unknown kind '$kind' (one of:$KINDS)"
    if ! [[ $addr =~ ^[0-9]+$ ]] || ((addr < 2 || addr > 254)); then die "$name: ADDR must be 2-254, got '$addr'"; fi
    # Addresses are unique per network; a jump host also holds its octet on the inner one.
    net=outer
    [[ -z $(opt behind "$opts") ]] || net=inner
    if [[ $kind != login ]]; then
      [[ $addrs != *" $net.$addr "* ]] || die "$name: address .$addr on the $net network is taken by another host"
      addrs+="$net.$addr "
      if [[ -n $(opt bastion "$opts") ]]; then
        [[ $addrs != *" inner.$addr "* ]] || die "$name: address .$addr on the inner network is taken by another host"
        addrs+="inner.$addr "
      fi
    fi
    case $kind in
      nspawn|login) [[ $suite != - && -d "$LAB_DIR/scenarios/$scenario" ]] || die "$name: needs a suite and a scenario directory" ;;
      *) [[ $suite == - && $scenario == - ]] || die "$name: a $kind host has no suite and no scenario (use -)" ;;
    esac
    for o in $opts; do
      case $o in
        hostkey=absent|hostkey=changed|authkey=other) [[ $kind == nspawn || $kind == sshd ]] || die "$name: $o needs an sshd (kind nspawn or sshd)" ;;
        user=*) [[ $kind == login ]] || die "$name: $o is for login hosts" ;;
        bastion=inner) [[ $kind == nspawn ]] || die "$name: $o needs a container (kind nspawn)" ;;
        behind=*) [[ $kind == nspawn ]] || die "$name: $o is for containers (kind nspawn)" ;;
        *) die "$name: unknown option '$o'" ;;
      esac
    done
  done <<<"$1"
  # A host behind a jump host needs that jump host, up with it.
  while read -r name kind suite addr scenario opts; do
    o=$(opt behind "$opts")
    [[ -n $o ]] || continue
    grep -Eq "^$o nspawn .*bastion=inner( |$)" <<<"$1" ||
      die "$name: behind=$o, but $o is not a selected nspawn host with bastion=inner"
  done <<<"$1"
  # A login needs the nspawn host it logs into.
  while read -r name kind suite addr scenario opts; do
    [[ $kind == login ]] || continue
    grep -Eq "^[a-z0-9-]+ nspawn $suite $addr $scenario( |$)" <<<"$1" ||
      die "$name: no selected nspawn host with suite $suite, address .$addr and scenario $scenario to log into"
  done <<<"$1"
}

# The recorded line of a host that is (or was) up: "KIND SUITE ADDR SCENARIO OPTIONS".
# State from before kinds existed ("SUITE ADDR SCENARIO") reads as an nspawn host.
host_record() {
  local f="$LAB_STATE/hosts/$1/host" a
  [[ -f $f ]] || return 1
  read -r a _ <"$f"
  if [[ $KINDS == *" $a "* ]]; then cat "$f"; else echo "nspawn $(cat "$f")"; fi
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

# Mounts a killed debootstrap may have left in an unfinished image (proc, sys, dev), deepest
# first, so that removing the directory never walks into them.
image_tmp_unmount() {
  local t
  [[ -d "$LAB_STATE/images" ]] || return 0
  while read -r t; do
    [[ -n "$t" ]] && { umount "$t" 2>/dev/null || umount -l "$t" 2>/dev/null || log "warning: could not unmount $t"; }
  done < <(awk -v p="$LAB_STATE/images/" 'index($2, p) == 1 && $2 ~ /\.tmp\// { print $2 }' /proc/self/mounts | sort -r)
}

# image_build SUITE: debootstrap minbase + our packages, then make it a generic lab image:
# no host keys, empty machine-id (both injected per host), key-only root login, the
# unprivileged user, and units that need a tty or a network masked to keep the journal quiet.
image_build() {
  local suite=$1 img="$LAB_STATE/images/$1" tmp="$LAB_STATE/images/$1.tmp"
  image_current "$suite" && return 0
  local mirror t0=$SECONDS
  mirror=$(debian_mirror)
  log "image $suite: debootstrap from $mirror"
  image_tmp_unmount
  rm -rf --one-file-system "$tmp" "$img"
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
  echo "$IMAGE_RECIPE" >"$tmp/.lab-recipe"
  mv "$tmp" "$img"
  log "image $suite: $(cat "$img/.lab-image"), $(du -sh "$img" | cut -f1), $((SECONDS - t0)) s"
}

# image_current SUITE: the cached image exists and was built by this recipe.
image_current() {
  [[ -f "$LAB_STATE/images/$1/.lab-image" && "$(cat "$LAB_STATE/images/$1/.lab-recipe" 2>/dev/null)" == "$IMAGE_RECIPE" ]]
}

# images_build SUITE...: the missing images, all at once (debootstrap waits on the network
# and on dpkg as much as on the CPU).
images_build() {
  local s p rc=0 pids=() todo=" "
  for s in "$@"; do
    image_current "$s" || [[ $todo == *" $s "* ]] || todo+="$s "
  done
  # An outdated image may be the lower layer of a running host: never replace it under one.
  if [[ $todo != " " && -n "$(hosts_up)" ]]; then
    for s in $todo; do
      [[ ! -d "$LAB_STATE/images/$s" ]] || die "image $s is from another recipe and hosts are up: run lab.sh down first"
    done
  fi
  for s in $todo; do
    image_build "$s" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  ((rc == 0)) || die "an image build failed"
}

suites_of() { # the suites of the nspawn hosts among LINES
  awk '$2 == "nspawn" { print $3 }' <<<"$1" | sort -u | tr '\n' ' '
}

# ---------------------------------------------------------------------------------------
# Keys

ensure_keys() {
  mkdir -p "$LAB_STATE/keys"
  [[ -f "$LAB_STATE/keys/id_ed25519" ]] ||
    ssh-keygen -q -t ed25519 -N '' -C sockaudit-lab -f "$LAB_STATE/keys/id_ed25519"
  [[ -f "$LAB_STATE/keys/admin_ed25519" ]] ||
    ssh-keygen -q -t ed25519 -N '' -C sockaudit-lab-admin -f "$LAB_STATE/keys/admin_ed25519"
}

# Options for the harness's own logins (root, admin key, true host keys): strict checking.
ssh_opts() {
  echo -i "$LAB_STATE/keys/admin_ed25519" -o UserKnownHostsFile="$LAB_STATE/known_hosts.all" \
    -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes -o BatchMode=yes \
    -o ConnectTimeout=3 -o LogLevel=ERROR
}

# host_identity NAME ADDR OPTIONS: a fresh host key, root's authorized_keys, and the host's
# lines for known_hosts.all (true) and known_hosts (as the fleet knows it).
host_identity() {
  local name=$1 addr=$2 opts=$3 hd="$LAB_STATE/hosts/$1" hostkey authkey
  hostkey=$(opt hostkey "$opts")
  authkey=$(opt authkey "$opts")
  ssh-keygen -q -t ed25519 -N '' -C "root@$name" -f "$hd/ssh_host_ed25519_key"
  local ip
  ip=$(host_ip "$addr" "$opts")
  echo "$ip $(cut -d' ' -f1,2 "$hd/ssh_host_ed25519_key.pub")" >"$hd/known_hosts.true"
  case $hostkey in
    absent) : >"$hd/known_hosts.fleet" ;;
    changed)
      # The key the host had before it was reinstalled: what the fleet's known_hosts still holds.
      ssh-keygen -q -t ed25519 -N '' -C "root@$name (before reinstall)" -f "$hd/previous_host_key"
      echo "$ip $(cut -d' ' -f1,2 "$hd/previous_host_key.pub")" >"$hd/known_hosts.fleet" ;;
    *) cp "$hd/known_hosts.true" "$hd/known_hosts.fleet" ;;
  esac
  if [[ $authkey == other ]]; then
    cat "$LAB_STATE/keys/admin_ed25519.pub" >"$hd/root_authorized_keys"
  else
    cat "$LAB_STATE/keys/id_ed25519.pub" "$LAB_STATE/keys/admin_ed25519.pub" >"$hd/root_authorized_keys"
  fi
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

inner_bridge_up() {
  if ! ip link show "$LAB_INNER_BRIDGE" >/dev/null 2>&1; then
    # No address here: this machine must not reach the inner hosts except through a jump host.
    ip link add "$LAB_INNER_BRIDGE" type bridge
  fi
  ip link set "$LAB_INNER_BRIDGE" up
}

# veth_up NAME VETH DEV BRIDGE ADDRESS: a veth from BRIDGE into netns NAME, as DEV with ADDRESS/24.
veth_up() {
  local name=$1 veth=$2 dev=$3 bridge=$4 address=$5
  ip link add "$veth" type veth peer name "$dev" netns "$name"
  ip link set "$veth" master "$bridge" up
  ip -n "$name" addr add "$address/24" dev "$dev"
  ip -n "$name" link set "$dev" up
}

netns_up() { # netns_up NAME ADDR [OPTIONS]
  local name=$1 addr=$2 opts=${3:-}
  ip netns add "$name"
  ip -n "$name" link set lo up
  if [[ -n $(opt behind "$opts") ]]; then
    inner_bridge_up
    veth_up "$name" "salabi$addr" eth0 "$LAB_INNER_BRIDGE" "$LAB_INNER_NET.$addr"
    return 0
  fi
  veth_up "$name" "salab$addr" eth0 "$LAB_BRIDGE" "$LAB_NET.$addr"
  if [[ -n $(opt bastion "$opts") ]]; then
    inner_bridge_up
    veth_up "$name" "salabj$addr" eth1 "$LAB_INNER_BRIDGE" "$LAB_INNER_NET.$addr"
  fi
}

# host_ip ADDR OPTIONS: the host's address (on the inner network for hosts behind a jump host).
host_ip() {
  if [[ -n $(opt behind "${2:-}") ]]; then echo "$LAB_INNER_NET.$1"; else echo "$LAB_NET.$1"; fi
}

# admin_ssh ADDR OPTIONS ARGS...: the harness's own ssh to a host (root, admin key, true host
# keys). A host behind a jump host is reached from inside the jump host's network namespace:
# the harness does not depend on the ProxyJump support it is there to test.
admin_ssh() {
  local addr=$1 opts=$2 behind
  shift 2
  behind=$(opt behind "$opts")
  # shellcheck disable=SC2046
  if [[ -n $behind ]]; then
    ip netns exec "$behind" ssh $(ssh_opts) "root@$(host_ip "$addr" "$opts")" "$@"
  else
    ssh $(ssh_opts) "root@$LAB_NET.$addr" "$@"
  fi
}

# ---------------------------------------------------------------------------------------
# Up: containers

# nspawn_prepare NAME SUITE SCENARIO: overlay + per-host identity + scenario units.
nspawn_prepare() {
  local name=$1 suite=$2 scenario=$3
  local hd="$LAB_STATE/hosts/$name" img="$LAB_STATE/images/$suite" sd="$LAB_DIR/scenarios/$scenario"
  mkdir -p "$hd/upper" "$hd/work" "$hd/merged"
  mount -t overlay overlay -o "lowerdir=$img,upperdir=$hd/upper,workdir=$hd/work" "$hd/merged"
  local m="$hd/merged"

  # Identity: machine-id (also nspawn's --uuid), hostname, the host key made by host_identity.
  local mid
  mid=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  echo "$mid" >"$m/etc/machine-id"
  echo "$mid" >"$hd/machine-id"
  echo "$name" >"$m/etc/hostname"
  install -m 600 "$hd/ssh_host_ed25519_key" "$m/etc/ssh/ssh_host_ed25519_key"
  install -m 644 "$hd/ssh_host_ed25519_key.pub" "$m/etc/ssh/ssh_host_ed25519_key.pub"

  # root: the keys host_identity chose; the unprivileged user: the fleet's client key.
  local home uid
  install -d -m 700 "$m/root/.ssh"
  install -m 600 "$hd/root_authorized_keys" "$m/root/.ssh/authorized_keys"
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

# launch NAME LOG COMMAND...: start COMMAND detached (setsid), first moved into the host's own
# cgroups salab-NAME (both hierarchies), PID recorded in hosts/NAME/pid.
launch() {
  local name=$1 logfile=$2 cg="$CG_PREFIX$1" h
  shift 2
  # With --keep-unit nspawn puts the payload in <its own cgroup>/payload: every launcher
  # needs a cgroup of its own, in both the named systemd hierarchy and the unified one. The
  # same cgroups let `down` find whatever a launcher leaves behind.
  for h in systemd unified; do mkdir -p "/sys/fs/cgroup/$h/$cg"; done
  # shellcheck disable=SC2016  # $$ and $1 are for the inner bash
  setsid bash -c '
      echo $$ >"/sys/fs/cgroup/systemd/$1/cgroup.procs" &&
      echo $$ >"/sys/fs/cgroup/unified/$1/cgroup.procs" || exit 97
      shift; exec "$@"' lab-launch "$cg" "$@" </dev/null >"$logfile" 2>&1 &
  echo $! >"$LAB_STATE/hosts/$name/pid"
}

nspawn_boot() { # nspawn_boot NAME
  local name=$1 hd="$LAB_STATE/hosts/$1"
  launch "$name" "$hd/nspawn.log" systemd-nspawn --boot --directory="$hd/merged" --machine="$name" \
    --uuid="$(cat "$hd/machine-id")" --register=no --keep-unit --console=pipe \
    --network-namespace-path="/run/netns/$name" --resolv-conf=off --timezone=off
}

# ---------------------------------------------------------------------------------------
# Up: a real sshd in its own network namespace on this machine (PID 1 is not systemd)

sshd_prepare() { # sshd_prepare NAME ADDR
  local name=$1 addr=$2 hd="$LAB_STATE/hosts/$1"
  # sshd insists on its privilege separation directory; create it only if missing, and say so.
  if [[ ! -d /run/sshd ]]; then
    mkdir -m 755 /run/sshd
    touch "$LAB_STATE/created-run-sshd"
  fi
  cat >"$hd/sshd_config" <<EOF
# sockaudit lab host $name: a real sshd in network namespace $name, on a machine whose PID 1
# is not systemd. Key-only root login; nothing else.
ListenAddress $LAB_NET.$addr:22
HostKey $hd/ssh_host_ed25519_key
AuthorizedKeysFile $hd/root_authorized_keys
AllowUsers root
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
StrictModes no
PidFile none
X11Forwarding no
AllowTcpForwarding no
AllowAgentForwarding no
PermitTunnel no
EOF
  /usr/sbin/sshd -t -f "$hd/sshd_config" || die "$name: sshd rejects $hd/sshd_config"
}

sshd_start() { # sshd_start NAME
  local name=$1 hd="$LAB_STATE/hosts/$1"
  # `ip netns exec` execs sshd in place: the recorded PID is sshd's.
  launch "$name" "$hd/sshd.log" ip netns exec "$name" /usr/sbin/sshd -D -e -f "$hd/sshd_config"
}

# ---------------------------------------------------------------------------------------
# Up

# launcher_pid NAME KIND: the recorded PID, if it still is the launcher we started (right
# command, in our cgroup).
launcher_pid() {
  local name=$1 comm pid
  case $2 in nspawn) comm=systemd-nspawn ;; sshd) comm=sshd ;; *) return 1 ;; esac
  pid=$(cat "$LAB_STATE/hosts/$name/pid" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ && "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$comm" ]] || return 1
  grep -q "/$CG_PREFIX$name\(/\|$\)" "/proc/$pid/cgroup" 2>/dev/null || return 1
  echo "$pid"
}

# host_wait NAME KIND ADDR OPTIONS: until sshd answers (and, in a container, systemd finished booting).
host_wait() {
  local name=$1 kind=$2 addr=$3 opts=${4:-} deadline=$((SECONDS + LAB_BOOT_TIMEOUT)) st cmd
  if [[ $kind == nspawn ]]; then cmd='systemctl is-system-running --wait'; else cmd='echo up'; fi
  while :; do
    launcher_pid "$name" "$kind" >/dev/null ||
      die "$name: its $kind exited, see $LAB_STATE/hosts/$name/*.log"
    st=$(admin_ssh "$addr" "$opts" "$cmd" </dev/null 2>/dev/null) || true
    case "$st" in running|degraded|up) echo "$st"; return 0 ;; esac
    ((SECONDS < deadline)) || die "$name: not up after ${LAB_BOOT_TIMEOUT}s (state '${st}')"
    sleep 0.5
  done
}

cmd_images() {
  local sel
  sel=$(hosts_selected "$@")
  # shellcheck disable=SC2046
  images_build $(suites_of "$sel")
}

cmd_up() {
  local t0=$SECONDS sel name kind suite addr scenario opts pf
  pf=$(preflight) || die "this machine cannot run the lab:"$'\n'"$pf"
  sel=$(hosts_selected "$@")
  [[ -n "$sel" ]] || die "no host selected"
  conf_check "$sel"
  while read -r name _; do
    [[ -e "$LAB_STATE/hosts/$name" ]] && die "$name: already up (or left over): run lab.sh down $name"
  done <<<"$sel"
  # Whatever happens from here on, a failed `up` leaves only what `down` removes (its logs
  # stay in hosts/<name>/ until then).
  trap 'rc=$?; ((rc == 0)) || log "up failed (exit $rc): lab.sh down removes everything it made"' EXIT
  # shellcheck disable=SC2046
  images_build $(suites_of "$sel")
  ensure_keys
  bridge_up
  local t1=$SECONDS
  while read -r name kind suite addr scenario opts; do
    mkdir -p "$LAB_STATE/hosts/$name"
    # Recorded first: from now on `down` knows what to undo for this host.
    echo "$kind $suite $addr $scenario $opts" >"$LAB_STATE/hosts/$name/host"
    case $kind in
      nspawn)
        netns_up "$name" "$addr" "$opts"
        host_identity "$name" "$addr" "$opts"
        nspawn_prepare "$name" "$suite" "$scenario"
        nspawn_boot "$name" ;;
      sshd)
        netns_up "$name" "$addr"
        host_identity "$name" "$addr" "$opts"
        sshd_prepare "$name" "$addr"
        sshd_start "$name" ;;
      netns) netns_up "$name" "$addr" ;;
      none)
        # Nothing may answer on that address (ARP goes unanswered).
        ! ip neigh show "$LAB_NET.$addr" | grep -q lladdr || die "$name: something has $LAB_NET.$addr" ;;
      login) ;;
    esac
  done <<<"$sel"
  write_fleet_files
  while read -r name kind suite addr scenario opts; do
    case $kind in nspawn|sshd) log "$name: $(host_wait "$name" "$kind" "$addr" "$opts")" ;; esac
  done <<<"$sel"
  local t2=$SECONDS
  # Drive the scenarios (connections, starts that must fail, …) in parallel, as root.
  local pids=() rc=0
  while read -r name kind suite addr scenario opts; do
    [[ $kind == nspawn && -f "$LAB_DIR/scenarios/$scenario/drive.sh" ]] || continue
    admin_ssh "$addr" "$opts" sh -s <"$LAB_DIR/scenarios/$scenario/drive.sh" \
      >"$LAB_STATE/hosts/$name/drive.log" 2>&1 &
    pids+=($!)
  done <<<"$sel"
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  ((rc == 0)) || die "a scenario drive failed, see $LAB_STATE/hosts/*/drive.log"
  write_fleet_files
  trap - EXIT
  log "up: $(wc -l <<<"$sel") hosts; images $((t1 - t0)) s, boot $((t2 - t1)) s, drive $((SECONDS - t2)) s"
  log "inventory: $LAB_STATE/inventory.yaml"
}

# ---------------------------------------------------------------------------------------
# The fleet's files, rewritten from the state of every host that is up: hosts.conf order
# first, then hosts that are up but no longer in hosts.conf.

hosts_up() {
  local name seen=" " hd
  while read -r name _; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    [[ -f "$LAB_STATE/hosts/$name/host" ]] && { echo "$name"; seen+="$name "; }
  done <"$LAB_HOSTS_FILE"
  for hd in "$LAB_STATE"/hosts/*/; do
    name=$(basename "$hd")
    [[ -f "$hd/host" && $seen != *" $name "* ]] && echo "$name"
  done
  return 0
}

write_fleet_files() {
  local name kind suite addr scenario opts hd ver user o groups labels ip behind
  local kh="$LAB_STATE/known_hosts" kha="$LAB_STATE/known_hosts.all" inv="$LAB_STATE/inventory.yaml"
  local tsv="$LAB_STATE/inventory.tsv" cfg="$LAB_STATE/ssh_config"
  : >"$kh.new"; : >"$kha.new"; : >"$cfg.new"
  printf '# name\tkind\taddress\tsuite\tsystemd\tscenario\toptions\n' >"$tsv.new"
  cat >"$inv.new" <<EOF
# sockaudit inventory of the lab fleet (every host that is up), written by lab.sh.
#   node dist/cli/main.js audit -i $inv
# Paths are relative to this file. Hosts marked hostkey/authkey in their labels, and the kinds
# sshd/netns/none, cannot be audited on purpose (see test/e2e/lab/hosts.conf).
defaults:
  user: root
  identity_file: keys/id_ed25519
  known_hosts_file: known_hosts
  use_agent: false
  connect_timeout: 10s
  command_timeout: 60s
hosts:
EOF
  while read -r name; do
    [[ -n "$name" ]] || continue
    hd="$LAB_STATE/hosts/$name"
    read -r kind suite addr scenario opts < <(host_record "$name")
    cat "$hd/known_hosts.true" >>"$kha.new" 2>/dev/null || true
    cat "$hd/known_hosts.fleet" >>"$kh.new" 2>/dev/null || true
    ver=-
    [[ $suite == - ]] || ver=$(cut -d' ' -f2 "$LAB_STATE/images/$suite/.lab-image" 2>/dev/null || echo '?')
    ip=$(host_ip "$addr" "$opts")
    behind=$(opt behind "$opts")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$kind" "$ip" "$suite" "$ver" "$scenario" "${opts:--}" >>"$tsv.new"
    user=$(opt user "$opts")
    groups="lab, $kind" labels="kind: $kind"
    [[ $suite == - ]] || { groups+=", $suite, $scenario"; labels+=", suite: $suite, scenario: $scenario"; }
    for o in $opts; do labels+=", ${o%%=*}: ${o#*=}"; done
    {
      echo "  - name: $name"
      echo "    address: $ip"
      [[ -z $user ]] || echo "    user: $user"
      [[ -z $behind ]] || echo "    proxy_jump: $behind"
      echo "    groups: [$groups]"
      echo "    labels: {$labels}"
    } >>"$inv.new"
    if [[ $kind == nspawn || $kind == sshd || $kind == login ]]; then
      cat >>"$cfg.new" <<EOF
Host $name
  HostName $ip
  User ${user:-root}
  IdentityFile $LAB_STATE/keys/admin_ed25519
  IdentityFile $LAB_STATE/keys/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $kha
  StrictHostKeyChecking yes
  BatchMode yes
  LogLevel ERROR
EOF
      [[ -z $behind ]] || echo "  ProxyJump $behind" >>"$cfg.new"
    fi
  done < <(hosts_up)
  mv "$tsv.new" "$tsv"
  if [[ -s "$kha.new" || -n "$(hosts_up)" ]]; then
    mv "$kh.new" "$kh"; mv "$kha.new" "$kha"; mv "$cfg.new" "$cfg"; mv "$inv.new" "$inv"
  else
    # Nothing is up: no inventory to audit, no keys to trust.
    rm -f "$kh.new" "$kha.new" "$cfg.new" "$inv.new" "$kh" "$kha" "$cfg" "$inv"
  fi
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
    while read -r p; do
      [[ -n $p ]] && { kill -KILL "$p" 2>/dev/null || true; }
    done < <(find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null)
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
      [[ -d "$d" ]] || break
      sleep 0.2
    done
    [[ -d "$d" ]] && log "warning: could not remove cgroup $d"
  done
  return 0
}

# stop_launcher NAME KIND: SIGTERM to the recorded launcher, SIGKILL after a while.
stop_launcher() {
  local name=$1 kind=$2 pid i
  pid=$(launcher_pid "$name" "$kind") || return 0
  # SIGTERM makes nspawn ask the container's systemd for a clean poweroff (SIGRTMIN+3).
  # A request that arrives before PID 1 installed its handlers is lost, so repeat it.
  for i in $(seq 1 100); do
    if ((i % 20 == 1)); then kill -TERM "$pid" 2>/dev/null || true; fi
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "$name: $kind $pid ignored SIGTERM for 10 s, killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

host_down() { # host_down NAME KIND ADDR
  local name=$1 kind=$2 addr=$3 hd="$LAB_STATE/hosts/$1" v
  case $kind in
    nspawn|sshd)
      stop_launcher "$name" "$kind"
      cgroup_clean "$name" ;;
  esac
  if mountpoint -q "$hd/merged" 2>/dev/null; then
    # nspawn's lock on the image directory (named after its device and inode) may outlive it.
    rm -f "/run/systemd/nspawn/locks/inode-$(stat -c %d:%i "$hd/merged")"
    umount "$hd/merged" 2>/dev/null || umount -l "$hd/merged"
  fi
  case $kind in
    nspawn|sshd|netns)
      ip netns del "$name" 2>/dev/null || true
      # Deleting the namespace takes its veths along; these are for a namespace already gone.
      if [[ $addr =~ ^[0-9]+$ ]]; then
        for v in "salab$addr" "salabi$addr" "salabj$addr"; do ip link del "$v" 2>/dev/null || true; done
      fi ;;
  esac
  rm -rf "/run/systemd/nspawn/propagate/$name"
  rm -rf --one-file-system "$hd" || log "warning: could not remove all of $hd"
}

cmd_down() {
  local t0=$SECONDS name kind suite addr scenario opts pid sel rec todo=()
  # What to take down: the selected hosts.conf hosts; on a plain `down` also every host that
  # is up but no longer in hosts.conf (a down restricted to some hosts or LAB_SUITES leaves
  # the others alone).
  sel=$(hosts_selected "$@" | cut -d' ' -f1)
  if [[ $# -eq 0 && -z "$LAB_SUITES" ]]; then sel+=$'\n'$(hosts_up); fi
  while read -r name; do
    [[ -n "$name" && " ${todo[*]} " != *" $name "* && -d "$LAB_STATE/hosts/$name" ]] && todo+=("$name")
  done <<<"$sel"
  # Ask every container and sshd to stop at once, then tear the hosts down one by one.
  for name in "${todo[@]}"; do
    read -r kind _ < <(host_record "$name" || echo "nspawn")
    if pid=$(launcher_pid "$name" "$kind"); then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for name in "${todo[@]}"; do
    kind=nspawn addr=-
    if rec=$(host_record "$name"); then read -r kind suite addr scenario opts <<<"$rec"; fi
    # A host dir without its record (interrupted right at the start): its line in hosts.conf.
    [[ $addr != - ]] || addr=$(awk -v n="$name" '$1 == n { print $4; exit }' "$LAB_HOSTS_FILE")
    host_down "$name" "$kind" "$addr"
  done
  # The bridge, /run/sshd and nspawn's scratch directories go with the last host.
  if [[ -z "$(hosts_up 2>/dev/null)" ]]; then
    ip link del "$LAB_BRIDGE" 2>/dev/null || true
    ip link del "$LAB_INNER_BRIDGE" 2>/dev/null || true
    rmdir /run/systemd/nspawn/propagate /run/systemd/nspawn/locks /run/systemd/nspawn 2>/dev/null || true
    if [[ -f "$LAB_STATE/created-run-sshd" ]]; then
      rmdir /run/sshd 2>/dev/null || log "warning: /run/sshd (made by up) is not empty, left in place"
      rm -f "$LAB_STATE/created-run-sshd"
    fi
    rmdir "$LAB_STATE/hosts" 2>/dev/null || true
  fi
  image_tmp_unmount
  [[ -d "$LAB_STATE" ]] && write_fleet_files
  log "down: ${#todo[@]} hosts, $((SECONDS - t0)) s"
}

# ---------------------------------------------------------------------------------------

cmd_status() {
  local name kind suite addr scenario opts hd pid st ver user
  printf '%-12s %-7s %-8s %-14s %-9s %-10s %s\n' NAME KIND PID ADDRESS SUITE STATE VERSION
  while read -r name kind suite addr scenario opts; do
    hd="$LAB_STATE/hosts/$name"
    pid=$(cat "$hd/pid" 2>/dev/null || echo -)
    [[ $pid != - ]] && ! launcher_pid "$name" "$kind" >/dev/null && pid="$pid(dead)"
    st=- ver=-
    if [[ -d "$hd" ]]; then
      case $kind in
        nspawn)
          st=$(admin_ssh "$addr" "$opts" systemctl is-system-running </dev/null 2>/dev/null) || true
          ver=$(admin_ssh "$addr" "$opts" systemctl --version </dev/null 2>/dev/null | head -n 1) || true ;;
        sshd)
          st=$(admin_ssh "$addr" "$opts" 'echo "up, PID 1 is $(cat /proc/1/comm)"' </dev/null 2>/dev/null) || true ;;
        netns) st=up ;;
        none) st=nothing ;;
        login) user=$(opt user "$opts"); st="login ${user:-root}" ;;
      esac
    fi
    printf '%-12s %-7s %-8s %-14s %-9s %-10s %s\n' "$name" "$kind" "$pid" "$(host_ip "$addr" "$opts")" "$suite" "${st:-?}" "${ver:--}"
  done < <(hosts_selected "$@")
}

cmd_ssh() {
  local name=${1:?host name} line kind addr opts user key
  shift
  line=$(hosts_selected "$name")
  [[ -n "$line" ]] || die "unknown host $name"
  read -r _ kind _ addr _ opts <<<"$line"
  user=${LAB_USER:-$(opt user "$opts")}
  user=${user:-root}
  key="$LAB_STATE/keys/admin_ed25519"
  [[ $user == root ]] || key="$LAB_STATE/keys/id_ed25519"
  local in=() behind
  behind=$(opt behind "$opts")
  [[ -z $behind ]] || in=(ip netns exec "$behind")
  exec "${in[@]}" ssh -i "$key" -o UserKnownHostsFile="$LAB_STATE/known_hosts.all" -o StrictHostKeyChecking=yes \
    -o IdentitiesOnly=yes -o BatchMode=yes -o LogLevel=ERROR "$user@$(host_ip "$addr" "$opts")" "$@"
}

cmd=${1:-}
shift || true
case "$cmd" in
  images|up|down|status|ssh) [[ $(id -u) -eq 0 ]] || die "must run as root" ;;
esac
case "$cmd" in
  check) cmd_check ;;
  images) cmd_images "$@" ;;
  up) cmd_up "$@" ;;
  down) cmd_down "$@" ;;
  status) cmd_status "$@" ;;
  ssh) cmd_ssh "$@" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2 ;;
esac
