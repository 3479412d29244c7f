#!/usr/bin/env bash
# Installs what the kbootstrap lab needs on a Debian 12 host, as root. Idempotent: installs only
# what is missing, and enables arm64 emulation (binfmt_misc + qemu-aarch64) if it is off.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps.sh: run as root (the lab uses namespaces, mounts and systemd-nspawn)" >&2
  exit 1
fi

# debootstrap: builds the node root filesystems; systemd-container: systemd-nspawn;
# qemu-user-static + binfmt-support: arm64 binaries on an x86 host; dnsmasq-base: the lab's DHCP/DNS;
# iproute2: bridge, veth, netns; busybox: udhcpc for the arm64 network shim; sshpass/openssh-client:
# the tests' and `lab ssh`'s client; util-linux: nsenter, fallocate; openssl: password hashes.
PACKAGES=(debootstrap systemd-container qemu-user-static binfmt-support dnsmasq-base iproute2
  busybox sshpass openssh-client util-linux openssl debian-archive-keyring ca-certificates)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi

if [ ! -e /proc/sys/fs/binfmt_misc/status ]; then
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
  update-binfmts --enable qemu-aarch64 || update-binfmts --import qemu-aarch64
fi
if ! grep -q '^enabled' /proc/sys/fs/binfmt_misc/qemu-aarch64; then
  echo 1 > /proc/sys/fs/binfmt_misc/qemu-aarch64
fi
grep -q '^flags: .*F' /proc/sys/fs/binfmt_misc/qemu-aarch64 || {
  echo "install-deps.sh: qemu-aarch64 is registered without the F (fix-binary) flag; arm64 containers need it" >&2
  exit 1
}
echo "install-deps.sh: lab dependencies ready (qemu-aarch64: $(head -1 /proc/sys/fs/binfmt_misc/qemu-aarch64))"
