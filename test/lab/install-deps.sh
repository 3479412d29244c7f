#!/usr/bin/env bash
# Installs what the kbootstrap lab needs on a Debian 12 (bookworm) host, as root. Idempotent: installs
# only what is missing, and (re)registers arm64 emulation (binfmt_misc + qemu-aarch64) when needed.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps.sh: run as root (the lab uses namespaces, mounts and systemd-nspawn)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive

# debootstrap: node root filesystems; systemd-container: systemd-nspawn; dnsmasq-base: the lab's
# DHCP/DNS; iproute2: bridge, veth, netns; busybox: udhcpc for the arm64 network shim; sshpass and
# openssh-client: the tests' and `lab ssh`'s client; util-linux: nsenter, fallocate; openssl: hashes.
PACKAGES=(debootstrap systemd-container binfmt-support dnsmasq-base iproute2 busybox sshpass
  openssh-client util-linux openssl debian-archive-keyring ca-certificates)

# qemu-user 7.2 (bookworm) cannot start services of systemd >= 255 (Trixie): "Failed to spawn
# executor: Invalid argument". qemu 10 from bookworm-backports can, with the binfmt flags set below.
QEMU_MIN=1:9
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
qemu_version=$(dpkg-query -W -f='${Version}' qemu-user-static 2>/dev/null || true)
need_backports=no
if [ -z "$qemu_version" ] || dpkg --compare-versions "$qemu_version" lt "$QEMU_MIN"; then
  need_backports=$([ "$codename" = bookworm ] && echo yes || echo no)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ] || [ -z "$qemu_version" ] || [ "$need_backports" = yes ]; then
  if [ "$need_backports" = yes ] && [ ! -e /etc/apt/sources.list.d/kbootstrap-lab-backports.sources ]; then
    # The same mirror apt already uses here, for bookworm-backports (qemu-user-static 10).
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
  if [ "$need_backports" = yes ]; then
    apt-get install -y --no-install-recommends -t bookworm-backports qemu-user-static
  elif [ -z "$qemu_version" ]; then
    apt-get install -y --no-install-recommends qemu-user-static
  fi
fi

if [ ! -e /proc/sys/fs/binfmt_misc/status ]; then
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
entry=/proc/sys/fs/binfmt_misc/qemu-aarch64
# The interpreter: from the live entry, else from the package's own registration. qemu-user-static 10
# (bookworm-backports) ships only /usr/lib/binfmt.d/qemu-aarch64.conf (for systemd-binfmt, which does not
# run in every container), 7.2 only /usr/share/binfmts/qemu-aarch64 (for update-binfmts): read either and
# register through /proc ourselves rather than depend on a service or on update-binfmts.
interpreter=$(sed -n 's/^interpreter //p' "$entry" 2>/dev/null || true)
if [ -z "$interpreter" ] || [ ! -x "$interpreter" ]; then
  interpreter=$(awk -F: '/^:qemu-aarch64:/ { print $7 }' /usr/lib/binfmt.d/qemu-aarch64.conf 2>/dev/null || true)
fi
if [ -z "$interpreter" ] || [ ! -x "$interpreter" ]; then
  interpreter=$(sed -n 's/^interpreter //p' /usr/share/binfmts/qemu-aarch64 2>/dev/null || true)
fi
if [ -z "$interpreter" ] || [ ! -x "$interpreter" ]; then
  interpreter=$(command -v qemu-aarch64-static || true)
fi
[ -n "$interpreter" ] && [ -x "$interpreter" ] || { echo "install-deps.sh: no qemu-aarch64 interpreter found after installing qemu-user-static" >&2; exit 1; }
# F: the interpreter works inside containers; O and C: systemd >= 255 starts services with
# execveat(fd), which needs the binary passed as an open file, and setuid binaries (sudo) keep working.
# Re-registering also makes the kernel pick up a newly installed qemu binary.
flags=$(sed -n 's/^flags: //p' "$entry" 2>/dev/null || true)
installed_version=$(dpkg-query -W -f='${Version}' qemu-user-static)
marker=/run/kbootstrap-lab-binfmt
if [ "$flags" != "POCF" ] || [ "$(cat "$marker" 2>/dev/null)" != "$installed_version" ]; then
  magic='\x7f\x45\x4c\x46\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
  mask='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
  [ ! -e "$entry" ] || echo -1 > "$entry"
  echo ":qemu-aarch64:M::${magic}:${mask}:${interpreter}:POCF" > /proc/sys/fs/binfmt_misc/register
  echo "$installed_version" > "$marker"
fi
grep -q '^enabled' "$entry" || echo 1 > "$entry"
echo "install-deps.sh: lab dependencies ready (qemu-user-static $installed_version, qemu-aarch64 flags $(sed -n 's/^flags: //p' "$entry"))"

# Lab traffic must never leave this machine: while a lab is up its /24 is on its bridge (a more
# specific route); when it is down, anything still aimed at 10.77.0.0/16 is dropped here instead of
# following the default route.
ip route replace blackhole 10.77.0.0/16
