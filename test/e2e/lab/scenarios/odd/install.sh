#!/bin/sh
# install.sh ROOT: the "odd" scenario's file names and enablement, which plain files in
# units/ cannot express (backslashes in names, instances, masks, vendor units).
set -eu
S="$1/etc/systemd/system"
V="$1/lib/systemd/system"
mkdir -p "$S/sockets.target.wants"
# 9b. a unit name that needs an escape: lab\x2descaped.socket (backslash in the file name).
cat >"$S/lab\\x2descaped.socket" <<'UNIT'
# Scenario 9b: unit name with an escape, unix listener, non-ASCII description.
[Unit]
Description=Lab escaped name — Café ☕

[Socket]
ListenStream=/run/lab-escaped.sock

[Install]
WantedBy=sockets.target
UNIT
cat >"$S/lab\\x2descaped.service" <<'UNIT'
[Unit]
Description=Lab escaped service

[Service]
ExecStart=/bin/true
UNIT
# 9f. a vendor socket (in /lib), enabled, then masked by the admin.
cat >"$V/lab-masked.socket" <<'UNIT'
[Unit]
Description=Lab vendor socket, masked by the admin

[Socket]
ListenStream=7095

[Install]
WantedBy=sockets.target
UNIT
ln -sfn /lib/systemd/system/lab-masked.socket "$S/sockets.target.wants/lab-masked.socket"
ln -sfn /dev/null "$S/lab-masked.socket"
# Enabled: everything but lab-dormant.socket (scenario 7).
for u in lab-broken lab-badport lab-udp lab-v6 lab-multi 'lab\x2descaped'; do
  ln -sfn "../$u.socket" "$S/sockets.target.wants/$u.socket"
done
ln -sfn ../lab-tpl@.socket "$S/sockets.target.wants/lab-tpl@inst\\x2d2.socket"
