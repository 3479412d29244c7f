#!/usr/bin/env bash
# Installs what the kbootstrap lab needs on a Debian 12 (bookworm) host, as root. Idempotent: installs
# only what is missing, and (re)registers arm64 emulation (binfmt_misc + qemu-aarch64) when needed.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps.sh: run as root (the lab uses namespaces, mounts and systemd-nspawn)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive

# systemd-container: systemd-nspawn; dnsmasq-base: the lab's DHCP/DNS; iproute2: bridge, veth, netns;
# busybox: udhcpc for the arm64 network shim; sshpass and openssh-client: the tests' and `lab ssh`'s
# client; util-linux: nsenter, fallocate; openssl: hashes. mmdebstrap (below) builds the node root
# filesystems (see rootfs-build.ts).
PACKAGES=(systemd-container dnsmasq-base iproute2 busybox sshpass
  openssh-client util-linux openssl debian-archive-keyring ca-certificates)

# Newer than bookworm has, so from bookworm-backports there (any newer Debian has them itself):
# qemu-user 7.2 cannot start services of systemd >= 255 (Trixie): "Failed to spawn executor: Invalid
# argument"; qemu 10 can, with the binfmt flags set below. mmdebstrap 1.5 is the one the builds are tested with.
NEWER=(qemu-user-static mmdebstrap)
NEWER_MIN=(1:9 1.4)
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
newer=()
for i in "${!NEWER[@]}"; do
  v=$(dpkg-query -W -f='${Version}' "${NEWER[$i]}" 2>/dev/null || true)
  if [ -z "$v" ] || dpkg --compare-versions "$v" lt "${NEWER_MIN[$i]}"; then newer+=("${NEWER[$i]}"); fi
done

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ] || [ "${#newer[@]}" -gt 0 ]; then
  if [ "${#newer[@]}" -gt 0 ] && [ "$codename" = bookworm ] && [ ! -e /etc/apt/sources.list.d/kbootstrap-lab-backports.sources ]; then
    # The same mirror apt already uses here, for bookworm-backports.
    # `|| true`: with pipefail, a missing sources.list or no *.list file must not end the script.
    mirror=$({ cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null || true; } \
      | awk '/^[[:space:]]*URIs:/ { for (i = 2; i <= NF; i++) print $i } /^[[:space:]]*deb[[:space:]]/ { print ($2 ~ /^\[/ ? $3 : $2) }' \
      | { grep -E '/debian/?$' || true; } | head -n 1)
    [ -n "$mirror" ] || { echo "install-deps.sh: no Debian mirror in apt's sources" >&2; exit 1; }
    printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$mirror" \
      > /etc/apt/sources.list.d/kbootstrap-lab-backports.sources
  fi
  apt-get update
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "install-deps.sh: installing ${missing[*]}"
    apt-get install -y --no-install-recommends "${missing[@]}"
  fi
  if [ "${#newer[@]}" -gt 0 ]; then
    echo "install-deps.sh: installing ${newer[*]}${codename:+ ($([ "$codename" = bookworm ] && echo bookworm-backports || echo "$codename"))}"
    apt-get install -y --no-install-recommends $([ "$codename" = bookworm ] && echo -t bookworm-backports) "${newer[@]}"
  fi
fi

# binfmt_misc and routes belong to the kernel: CI's check in a fresh nspawn container
# (scripts/fresh-container-setup.sh) stops here and leaves them to the host.
if [ "${KBOOTSTRAP_SETUP_PACKAGES_ONLY:-}" = 1 ]; then
  echo "install-deps.sh: lab packages ready (KBOOTSTRAP_SETUP_PACKAGES_ONLY=1: binfmt_misc and routes left to the host)"
  exit 0
fi

# binfmt_misc + qemu-aarch64 with the flags POCF (the lab re-runs this when an entry loses a flag).
emulation=$(bash "$(dirname "$0")/register-qemu-aarch64.sh")
echo "install-deps.sh: lab dependencies ready ($emulation)"

# Lab traffic must never leave this machine: while a lab is up its /24 is on its bridge (a more
# specific route); when it is down, anything still aimed at 10.77.0.0/16 is dropped here instead of
# following the default route.
ip route replace blackhole 10.77.0.0/16
