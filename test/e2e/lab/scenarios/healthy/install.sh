#!/bin/sh
# install.sh ROOT: enablement of the "healthy" scenario.
set -eu
S="$1/etc/systemd/system"
mkdir -p "$S/sockets.target.wants" "$S/multi-user.target.wants"
ln -sfn ../lab-backend.service "$S/multi-user.target.wants/lab-backend.service"
for u in lab-web lab-proxy lab-acc lab-max; do
  ln -sfn "../$u.socket" "$S/sockets.target.wants/$u.socket"
done
# What `systemctl enable lab-web.socket` does for its Alias=.
ln -sfn lab-web.socket "$S/lab-www.socket"
