#!/usr/bin/env bash
# CI, before the set-up: puts this machine back in the state of a fresh Debian 12 one as far as the
# lab's set-up is concerned, so that `scripts/install-deps.sh` has to do all of its work every run and a
# green CI cannot hide a missing install step. It undoes exactly what install-deps does:
#   - the packages only the lab brings (qemu-user-static 10 and its parts, mmdebstrap, sshpass) are purged;
#   - the bookworm-backports source install-deps adds is removed (qemu 10 comes only from there);
#   - the qemu-aarch64 binfmt_misc entry is unregistered (and the marker of its registration removed).
# The machine's own apt sources stay (a fresh machine has only its deb822 debian.sources: no *.list);
# the root filesystem cache stays too (it is a cache: `npm test` measures and reports its builds).
# Refuses while anything runs under qemu-aarch64 here (a lab's arm64 nodes, a build): they need it.
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "fresh-state.sh: run as root" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive

if pgrep -f 'qemu-binfmt/aarch64|qemu-aarch64' >/dev/null; then
  echo "fresh-state.sh: arm64 programs are running under qemu on this machine (a lab's arm64 nodes, a build);" \
    "removing qemu now would break them. Take them down first (npm run lab -- down --index N)." >&2
  exit 1
fi

LAB_ONLY=(qemu-user-static qemu-user qemu-user-binfmt mmdebstrap sshpass)
installed=()
for p in "${LAB_ONLY[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' && installed+=("$p")
done
if [ "${#installed[@]}" -gt 0 ]; then
  apt-get purge -y -q "${installed[@]}" >/dev/null
fi
rm -f /etc/apt/sources.list.d/kbootstrap-lab-backports.sources
apt-get update -q >/dev/null

if [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then echo -1 > /proc/sys/fs/binfmt_misc/qemu-aarch64; fi
rm -f /run/kbootstrap-lab-binfmt
echo "fresh-state.sh: purged ${installed[*]:-nothing}; no backports source, no qemu-aarch64 binfmt entry"
