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
