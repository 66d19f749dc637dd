#!/bin/sh
# install.sh ROOT: enablement of the "failures" scenario (what `systemctl enable` would do).
set -eu
S="$1/etc/systemd/system"
mkdir -p "$S/sockets.target.wants" "$S/multi-user.target.wants"
ln -sfn ../lab-squatter.service "$S/multi-user.target.wants/lab-squatter.service"
for u in lab-crash lab-trigger lab-orphan; do
  ln -sfn "../$u.socket" "$S/sockets.target.wants/$u.socket"
done
# lab-conflict.socket is installed but not enabled: drive.sh starts it by hand.
# journal_sudo (test/e2e/journal-sudo.test.ts, truth in test/e2e/truth/journal-sudo.ts): what
# the login `auditor` may run through sudo, one case per suite. bookworm: journalctl without a
# password; bullseye: the same rule behind `Defaults requiretty` (old RHEL's default), so sudo -n
# refuses for want of a terminal; trixie: no rule, so sudo wants a password. Only an audit with
# journal_sudo calls sudo at all; root logins never do.
if [ -d "$1/etc/sudoers.d" ]; then
  codename=$(sed -n 's/^VERSION_CODENAME=//p' "$1/etc/os-release")
  rule='auditor ALL=(root) NOPASSWD: /usr/bin/journalctl'
  case $codename in
    bookworm) printf '%s\n' "$rule" >"$1/etc/sudoers.d/lab-journal" ;;
    bullseye) printf '%s\n' 'Defaults:auditor requiretty' "$rule" >"$1/etc/sudoers.d/lab-journal" ;;
    *) ;;
  esac
  [ ! -f "$1/etc/sudoers.d/lab-journal" ] || chmod 0440 "$1/etc/sudoers.d/lab-journal"
fi
