#!/usr/bin/env bash
# CI: the README's set-up script (scripts/install-deps.sh, the lab's part included) on a truly fresh
# Debian 12, in an ephemeral systemd-nspawn container of the lab's own bookworm root filesystem (built or
# reused from the cache): apt sources in deb822 form only (no sources.list, no *.list file), no
# backports entry, none of the packages; every tool the tests need is checked there too. The host's own
# state is untouched (binfmt_misc is the host kernel's: .ci/run checks that part on the host).
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "fresh-container-setup.sh: run as root" >&2; exit 1; }
cd "$(dirname "$0")/.."
root=$(npx tsx test/lab/build-rootfs.ts bookworm:amd64 | tee /dev/stderr | sed -n 's/^bookworm:amd64: .* at //p')
[ -d "$root" ] || { echo "fresh-container-setup.sh: no bookworm root filesystem" >&2; exit 1; }
mirror=$(npx tsx -e "import('./test/lab/mirror.ts').then((m) => console.log(m.debianMirror()))")
started=$(date +%s)
# The container's disk: an overlay on the cached root filesystem, thrown away afterwards.
work=$(mktemp -d /var/tmp/kbootstrap-fresh-container.XXXXXX)
mkdir "$work/upper" "$work/work" "$work/root"
mount -t overlay overlay -o "lowerdir=$root,upperdir=$work/upper,workdir=$work/work" "$work/root"
trap 'umount -l "$work/root"; rm -rf "$work"' EXIT
systemd-nspawn --quiet --register=no --keep-unit --settings=no --resolv-conf=copy-host --timezone=off \
  --directory="$work/root" --bind-ro="$PWD:/src" --setenv=MIRROR="$mirror" --setenv=KBOOTSTRAP_SETUP_PACKAGES_ONLY=1 \
  /bin/bash -c '
  set -euo pipefail
  rm -f /etc/apt/sources.list /etc/apt/sources.list.d/*.list
  printf "Types: deb\nURIs: %s\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n" "$MIRROR" \
    > /etc/apt/sources.list.d/debian.sources
  bash /src/scripts/install-deps.sh
  dpkg --compare-versions "$(dpkg-query -W -f="\${Version}" qemu-user-static)" ge 1:9
  for tool in mmdebstrap systemd-nspawn sshpass kubectl docker-registry vagrant ruby qemu-system-x86_64 qemu-system-aarch64 qemu-img mtype mkfs.vfat; do
    command -v "$tool" >/dev/null || { echo "fresh container: $tool missing after set-up" >&2; exit 1; }
  done
  echo "fresh container: set-up passed"'
echo "fresh-container-setup.sh: install-deps on a fresh Debian 12 container in $(( $(date +%s) - started )) s"
