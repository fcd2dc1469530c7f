#!/usr/bin/env bash
# What enabling and disabling a module costs in memory in a running daemon: cycles it N times over
# the REST API (calling its REST resources in between, unless NO_REST=1) and prints, before and
# after, the process RSS, the live GC heap (dotnet-gcdump forces a full GC first, so its "GC Heap
# bytes" is what is still reachable) and, from /healthz, the unloaded load contexts still alive.
# Needs a daemon that trusts loopback (Development, or Rest:TrustLoopback=true) and dotnet-gcdump
# (GCDUMP=path, default: on PATH). See docs/UNLOADING.md.
#   usage: [NO_REST=1] [GCDUMP=…] bench/cycle-module.sh PID [N] [BASE_URL] [MODULE_ID]
set -euo pipefail
pid=$1; n=${2:-50}; base=${3:-http://127.0.0.1:8090}; id=${4:-module-black-list}
gcdump=${GCDUMP:-dotnet-gcdump}
api=$base/pbxcore/api/v3
dump=$(mktemp -d); trap 'rm -rf "$dump"' EXIT
call() { curl -fsS -m 30 -o /dev/null -X "$1" "$2"; }
rss() { awk '/^VmRSS/ {print $2}' /proc/"$pid"/status; }
heap() {
  "$gcdump" collect -p "$pid" -o "$dump/heap.gcdump" > /dev/null 2>&1
  "$gcdump" report "$dump/heap.gcdump" | awk '/GC Heap bytes/ { gsub(",", "", $1); print $1; exit }'
  rm -f "$dump/heap.gcdump"
}
health() { curl -fsS -m 30 "$base/healthz" | grep -o "\"$1\": *[0-9]*" | grep -o '[0-9]*$'; }
measure() { # after a forced full GC, so /healthz's alive count is current
  local h; h=$(heap)
  echo "$1: RSS $(rss) kB, GC heap $h bytes, unloaded contexts $(health unloadedContexts), still alive $(health unloadedContextsAlive)" >&2
  echo "$(rss) $h $(health unloadedContextsAlive)"
}
read -r rss0 heap0 alive0 < <(measure before)
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
read -r rss1 heap1 alive1 < <(measure "after $n cycles (module left disabled)")
echo "per cycle: RSS $(( (rss1 - rss0) / n )) kB, GC heap $(( (heap1 - heap0) / n )) bytes, alive contexts $(( alive1 - alive0 )) over $n cycles"
