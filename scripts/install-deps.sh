#!/usr/bin/env bash
# Everything kbootstrap's tests and its lab need on a fresh Debian 12 machine, as root. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

need=()
for p in openssh-server openssh-client sudo openssl; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
# kubectl reads the merged kubeconfig in the tests; some images ship their own, else Debian's.
command -v kubectl >/dev/null || need+=(kubernetes-client)
# docker-registry: the real registry the image-check tests push to on loopback; vagrant, vagrant-libvirt
# and ruby: `vagrant validate` and the Vagrantfile/inventory agreement test; qemu-system-*, qemu-utils,
# mtools and dosfstools: the lab's `vm` nodes (a real kernel under QEMU, a FAT boot volume read with mtype).
for p in docker-registry vagrant vagrant-libvirt ruby qemu-system-x86 qemu-system-arm qemu-utils mtools dosfstools; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ "${#need[@]}" -gt 0 ]; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need[@]}"
fi
bash test/lab/install-deps.sh
