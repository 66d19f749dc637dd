# drive.sh (runs as root on the host, `sh -s`): the "odd" scenario needs no traffic; check
# that the dormant unit really is not loaded (do not `status` it: that would load it).
set -u
rc=0
systemctl list-units --all --no-legend --plain 'lab-dormant*' | grep -q . &&
  { echo "drive: lab-dormant.socket is loaded" >&2; rc=1; }
systemctl --no-pager list-units --all 'lab*'
exit $rc
