#!/usr/bin/env bash
# Registers arm64 emulation (qemu-aarch64 in binfmt_misc) with the flags the lab needs, as root.
# Used by install-deps.sh and, when the live entry has lost a flag, by the lab itself (binfmt.ts).
# A package upgrade, `update-binfmts` or systemd-binfmt at boot can re-register the entry without C;
# then every setuid binary (sudo) on an arm64 node fails with "effective uid is not 0".
set -euo pipefail

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
[ -n "$interpreter" ] && [ -x "$interpreter" ] || { echo "register-qemu-aarch64.sh: no qemu-aarch64 interpreter: install qemu-user-static (sudo bash test/lab/install-deps.sh)" >&2; exit 1; }
# F: the interpreter works inside containers; O and C: systemd >= 255 starts services with
# execveat(fd), which needs the binary passed as an open file, and setuid binaries (sudo) keep working.
# Re-registering also makes the kernel pick up a newly installed qemu binary.
flags=$(sed -n 's/^flags: //p' "$entry" 2>/dev/null || true)
installed_version=$(dpkg-query -W -f='${Version}' qemu-user-static 2>/dev/null || echo unknown)
marker=/run/kbootstrap-lab-binfmt
if [ "$flags" != "POCF" ] || [ "$(cat "$marker" 2>/dev/null)" != "$installed_version" ]; then
  magic='\x7f\x45\x4c\x46\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
  mask='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
  [ ! -e "$entry" ] || echo -1 > "$entry"
  echo ":qemu-aarch64:M::${magic}:${mask}:${interpreter}:POCF" > /proc/sys/fs/binfmt_misc/register
  echo "$installed_version" > "$marker"
fi
grep -q '^enabled' "$entry" || echo 1 > "$entry"
echo "qemu-aarch64: $interpreter, flags $(sed -n 's/^flags: //p' "$entry") (qemu-user-static $installed_version)"
