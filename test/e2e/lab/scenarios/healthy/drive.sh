# drive.sh (runs as root on the host, `sh -s`): bring the "healthy" scenario into its states.
set -u
rc=0
# 1b. one request through lab-proxy.socket: lab-proxy.service starts and stays running.
printf 'hello through lab-proxy\n' | nc -N -w 2 127.0.0.1 7002 || true
# 6a. two live connections to the Accept=yes socket (two instances in Triggers=), each held
# by a transient client service.
for c in 1 2; do
  systemd-run --quiet --unit=lab-client-acc$c --description="Lab client $c holding a connection to 7050" \
    /bin/sh -c 'sleep infinity | nc 127.0.0.1 7050'
done
# 6b. MaxConnections=1: one held connection, then two that systemd refuses.
systemd-run --quiet --unit=lab-client-max --description='Lab client holding a connection to 7051' \
  /bin/sh -c 'sleep infinity | nc 127.0.0.1 7051'
sleep 1
for i in 1 2; do printf 'refused?\n' | nc -N -w 1 127.0.0.1 7051 || true; done
sleep 1
systemctl -q is-active lab-proxy.service || { echo "drive: lab-proxy.service not active" >&2; rc=1; }
[ "$(systemctl show -p NConnections --value lab-acc.socket)" = 2 ] || { echo "drive: lab-acc has not 2 live connections" >&2; rc=1; }
[ "$(systemctl show -p NRefused --value lab-max.socket)" -gt 0 ] || { echo "drive: lab-max refused nothing" >&2; rc=1; }
systemctl --no-pager list-units --all 'lab*'
exit $rc
