#!/usr/bin/env bash
# npm run test:e2e — the built CLI against a fleet of real hosts (test/e2e/lab, vitest config
# test/e2e/vitest.e2e.config.ts). Arguments go to vitest.
#
# Needs root on a Debian-like machine with systemd-container debootstrap openssh-server
# openssh-client iproute2. Anywhere else it says why and exits 2: it never passes without
# having tested. The fleet is brought up by vitest's globalSetup and taken down by its
# teardown; this script takes it down as well on exit, Ctrl-C or SIGTERM.
#
#   E2E_FLEET=reuse npm run test:e2e    test a fleet that is already up (lab.sh up), keep it up
#   LAB_SUITES="bookworm" npm run test:e2e   only some suites (the suite then says so)
set -euo pipefail
cd "$(dirname "$0")/../.."
LAB=test/e2e/lab/lab.sh

if ! why=$(bash "$LAB" check 2>&1); then
  printf 'sockaudit e2e: NOT RUN, nothing was tested.\n%s\n' "$why" >&2
  exit 2
fi

if [[ ${E2E_FLEET:-} != reuse ]]; then
  state=${LAB_STATE:-.e2e/lab}
  if compgen -G "$state/hosts/*" >/dev/null; then
    printf 'sockaudit e2e: a lab fleet is already up in %s: run "%s down" first, or E2E_FLEET=reuse to test it as it is.\n' "$state" "$LAB" >&2
    exit 2
  fi
  trap 'bash "$LAB" down >&2 || echo "sockaudit e2e: lab.sh down failed" >&2' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
fi

npm run build --silent
npx vitest run --config test/e2e/vitest.e2e.config.ts "$@"
