#!/usr/bin/env bash
# The system packages of one purpose (run, test or ci; each includes the ones before it), as listed
# in scripts/system-packages.txt. Installs the missing ones with ONE apt-get install when it can
# (root, or sudo), and otherwise stops at once with the exact command to run.
#   scripts/system_packages.sh run|test|ci [--check]    (--check: never install, only say)
# PORTAL_SYSTEM_PACKAGES=skip skips it all (a machine set up another way, not Debian/Ubuntu).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
purpose="${1:-test}"
mode="${2:-install}"
case "$purpose" in
  run) wanted="run" ;;
  test) wanted="run test" ;;
  ci) wanted="run test ci" ;;
  *) echo "usage: $0 run|test|ci [--check]" >&2; exit 2 ;;
esac
[ "${PORTAL_SYSTEM_PACKAGES:-}" = "skip" ] && exit 0
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system packages: not a Debian/Ubuntu machine; install the equivalents of $here/system-packages.txt ($purpose) yourself" >&2
  exit 0
fi

installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]; }
available() { [ -n "$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ && $2 != "(none)" {print $2}')" ]; }

missing=()
while read -r names needed _; do
  case "$names" in ''|'#'*) continue ;; esac
  [[ " $wanted " == *" $needed "* ]] || continue
  IFS='|' read -r -a choices <<< "$names"
  satisfied=""
  for name in "${choices[@]}"; do installed "$name" && satisfied=1 && break; done
  [ -n "$satisfied" ] && continue
  pick="${choices[0]}"
  if [ ${#choices[@]} -gt 1 ]; then
    for name in "${choices[@]}"; do available "$name" && pick="$name" && break; done
  fi
  missing+=("$pick")
done < "$here/system-packages.txt"

[ ${#missing[@]} -eq 0 ] && exit 0

install=(apt-get install -y --no-install-recommends "${missing[@]}")
if [ "$(id -u)" = "0" ]; then
  as=()
elif command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
  as=(sudo)  # asks for the password on a terminal
else
  as=(none)
fi
if [ "$mode" = "--check" ] || [ "${as[0]:-}" = "none" ]; then
  echo "system packages missing for '$purpose': ${missing[*]}" >&2
  echo "run this (as root or with sudo), then the make command again:" >&2
  echo "  sudo apt-get update && sudo ${install[*]}" >&2
  exit 1
fi
echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as[@]}" apt-get update -qq
"${as[@]}" "${install[@]}"
