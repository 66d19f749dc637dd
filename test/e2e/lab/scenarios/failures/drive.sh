# drive.sh (runs as root on the host, `sh -s`): bring the "failures" scenario into its states.
set -u
wait_failed() { # wait_failed UNIT TRIES: poll until UNIT is failed
  i=0
  while [ "$i" -lt "$2" ]; do systemctl -q is-failed "$1" && return 0; i=$((i + 1)); sleep 0.3; done
  echo "drive: $1 did not fail" >&2; return 1
}
rc=0
# 2. port conflict: lab-squatter (enabled) holds 7010 since boot; an admin starts the socket.
systemctl is-active -q lab-squatter.service || { echo "drive: lab-squatter not active" >&2; rc=1; }
systemctl start lab-conflict.socket 2>/dev/null && { echo "drive: lab-conflict.socket started?!" >&2; rc=1; }
wait_failed lab-conflict.socket 10 || rc=1
# 3. crash loop: connect until the service hits its start limit and takes the socket down.
i=0
while [ "$i" -lt 20 ] && ! systemctl -q is-failed lab-crash.socket; do
  nc -z -w 1 127.0.0.1 7020 || true
  i=$((i + 1)); sleep 0.5
done
wait_failed lab-crash.socket 10 || rc=1
# 4. trigger limit: one connection that nobody accepts is enough.
nc -z -w 1 127.0.0.1 7030 || true
wait_failed lab-trigger.socket 20 || rc=1
# 5. no service: one connection attempt (refused or dropped), so it is journaled.
nc -z -w 1 127.0.0.1 7040 && echo "drive: 7040 accepted a connection" || echo "drive: 7040 refused"
sleep 1
systemctl --no-pager list-units --all 'lab*'
exit $rc
