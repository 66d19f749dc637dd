#!/usr/bin/env bash
# npm run bench: the side-by-side benchmark of issue 7 (see bench/main.ts and bench/RESULTS.md).
# Needs root (a private sshd, a login user for it, packet capture, network namespaces) and
# Debian's packages for the tools compared; installs those that are missing with apt-get.
# Never part of `npm test` or CI.
#
#   npm run bench                                   # everything: side by side (3 rounds), round
#                                                   # trips, 10,000 hosts, 50 ms latency (~15 min)
#   npm run bench -- --skip scale,latency           # sections skipped keep their figures from the
#                                                   # last bench/results.json (each with its date/load)
#   npm run bench -- --tools sockaudit,floor --rounds 1 --hosts 200 --concurrency 32
#                                                   # the other tools' rows are kept from the last
#                                                   # bench/results.json, marked with their date
#   npm run bench -- --serve --tools sockaudit      # start the sshd and fleet, print the command
#                                                   # lines, wait for Ctrl-C (profiling by hand)
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ${1:-} == --help || ${1:-} == -h ]]; then
  sed -n '2,/^set -euo/p' bench/run.sh | sed '$d' | sed 's/^# \{0,1\}//'
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "bench: run as root: it starts a private sshd on loopback, adds a login user for it, captures packets on lo and creates network namespaces." >&2
  exit 2
fi

declare -A package_of=(
  [/usr/sbin/sshd]=openssh-server [ssh]=openssh-client [parallel-ssh]=pssh [clush]=clustershell
  [ansible]=ansible-core [tcpdump]=tcpdump [/usr/bin/time]=time [ip]=iproute2 [tc]=iproute2 [useradd]=passwd
)
missing=()
for command in "${!package_of[@]}"; do
  command -v "$command" >/dev/null 2>&1 || missing+=("${package_of[$command]}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "bench: installing ${missing[*]} from Debian's packages" >&2
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >&2; then
    echo "bench: could not install ${missing[*]}; install them (apt-get install ${missing[*]}) and run again." >&2
    exit 2
  fi
fi

npm run build --silent
npx tsc -p bench/tsconfig.json
exec node node_modules/.cache/sockaudit-bench/bench/main.js "$@"
