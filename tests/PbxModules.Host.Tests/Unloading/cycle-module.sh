#!/usr/bin/env bash
# Enables and disables a module N times through the daemon's REST API, touching its REST resources
# in between, and prints the daemon's RSS before and after. Needs a running daemon that trusts
# loopback (Development, or Rest:TrustLoopback=true).
#   usage: [NO_REST=1] cycle-module.sh PID [N] [BASE_URL] [MODULE_ID]   (see docs/UNLOADING.md)
set -euo pipefail
pid=$1; n=${2:-50}; base=${3:-http://127.0.0.1:8090}; id=${4:-module-black-list}
api=$base/pbxcore/api/v3
rss() { awk '/^VmRSS/ {print $2}' /proc/"$pid"/status; }
call() { curl -fsS -m 30 -o /dev/null -X "$1" "$2"; }
echo "before: RSS ${rss_before:=$(rss)} kB"
for ((i = 1; i <= n; i++)); do
  call POST "$api/modules/$id:disable"
  call POST "$api/modules/$id:enable"
  if [[ $id == module-black-list && -z ${NO_REST:-} ]]; then
    call GET "$api/$id/numbers?limit=10"
    call GET "$api/$id/numbers:check?number=%2B15551234567"
    call GET "$api/$id/statistics"
  fi
done
call POST "$api/modules/$id:disable"
echo "after $n cycles (module left disabled): RSS $(rss) kB, $(( ($(rss) - rss_before) / n )) kB per cycle"
