# drive.sh (runs as root on the host, `sh -s`): the "plain" scenario has no lab units; its hosts
# exist to be bad SSH targets (see the OPTIONS column of hosts.conf). Nothing to drive.
systemctl is-system-running
exit 0
