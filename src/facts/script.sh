#!/bin/sh
# kbootstrap facts: everything the planners need from one node, in one round trip.
#
# Runs as root (`sudo sh -s`, this script on stdin) under dash on Pi OS, Debian minbase or Ubuntu, and
# prints ONE JSON object. Needs only coreutils, grep, awk (mawk), iproute2 and systemctl; a missing or
# failing tool (no systemd as PID 1, no k3s) leaves its section empty instead of breaking the JSON.
#
# How: each section prints "@@kb@@ <name>" and then raw lines; one awk at the end turns that stream
# into {"<name>": "<lines>", ...}. The workstation (src/facts/parse.ts) interprets the raw text.
# File contents travel as ONE base64 blob of the files concatenated, sliced by the sizes `stat` gave:
# three processes for every file instead of one per file (the node may be a slow Pi).
#
# KB_FACTS_ROOT (tests only) prefixes every file path so that a fixture tree stands in for a node.
# /etc/kbootstrap-lab/board-model is a lab shim: an emulated node has no device tree, so the lab
# writes the board model there; a real Pi never has this file.

R=${KB_FACTS_ROOT:-}
NL='
'
# Units whose state decides the network stack and k3s's state (one `systemctl is-active` for all).
UNITS='NetworkManager dhcpcd dhcpcd5 systemd-networkd k3s k3s-agent dphys-swapfile'

section() { printf '@@kb@@ %s\n' "$1"; }

# The first line of a file, read by the shell itself (no process); empty if the file is missing.
first_line() {
  line=
  [ -r "$1" ] && { IFS= read -r line < "$1" || :; }
  printf '%s\n' "$line"
}

# Every line of a file, read by the shell itself.
all_lines() {
  [ -r "$1" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do printf '%s\n' "$line"; done < "$1"
}

first_existing() {
  for p in "$@"; do [ -e "$R$p" ] && { printf '%s\n' "$p"; return 0; }; done
  return 1
}

identity() {
  section clock_ms; date +%s%3N
  section uid
  while read -r key real effective rest; do
    [ "$key" = Uid: ] && { printf '%s\n' "$effective"; break; }
  done < /proc/self/status
  section uname; uname -r -m
  section hostname; first_line "$R/proc/sys/kernel/hostname"
  section machine_id; first_line "$R/etc/machine-id"
  section proc_cmdline; first_line "$R/proc/cmdline"
  # Whether /proc/cmdline, the cgroup root and /proc/swaps are this node's own kernel's (none) or a container host's.
  section container; [ -z "$R" ] && systemd-detect-virt --container 2>/dev/null
}

board() {
  section model_lab; first_line "$R/etc/kbootstrap-lab/board-model"
  dt=$(first_existing /proc/device-tree/model /sys/firmware/devicetree/base/model) || dt=
  section model_devicetree
  [ -n "$dt" ] && first_line "$R$dt"
  section model_cpuinfo
  [ -z "$dt" ] && grep -m1 '^Model' "$R/proc/cpuinfo" 2>/dev/null
}

network() {
  section ip_link; ip -o link 2>/dev/null
  section ip_addr; ip -o addr 2>/dev/null
  section ip_route_default; ip route show default 2>/dev/null
  section units; printf '%s\n' $UNITS
  section units_active; unit_states=$(systemctl is-active $UNITS 2>/dev/null); printf '%s\n' "$unit_states"
}

# Commands kbootstrap or its checks care about, found by path (no `command -v` loop over PATH).
tools() {
  section tools
  for t in NetworkManager dhcpcd ifup netplan dphys-swapfile ping arping; do
    for d in /usr/sbin /sbin /usr/bin /bin; do
      [ -x "$R$d/$t" ] && { printf '%s\n' "$t"; break; }
    done
  done
}

swap() {
  section proc_swaps; all_lines "$R/proc/swaps"
  section swap_units; systemctl list-units --type=swap --all --plain --no-legend 2>/dev/null
  section dphys_enabled
  if [ -x "$R/sbin/dphys-swapfile" ] || [ -x "$R/usr/sbin/dphys-swapfile" ]; then
    systemctl is-enabled dphys-swapfile 2>/dev/null
  fi
}

cgroups() {
  if [ -r "$R/sys/fs/cgroup/cgroup.controllers" ]; then
    section cgroup2_controllers; first_line "$R/sys/fs/cgroup/cgroup.controllers"
  fi
  section proc_cgroups; all_lines "$R/proc/cgroups"
}

resources() {
  section meminfo
  [ -r "$R/proc/meminfo" ] && while read -r key value unit; do
    case $key in MemTotal:|MemAvailable:) printf '%s %s\n' "$key" "$value" ;; esac
  done < "$R/proc/meminfo"
  section df; df -Pk "$R/" "$R/var/lib" 2>/dev/null
}

# The binary's sha256 takes seconds on a Pi (and far longer under emulation), so it is cached under
# /var/lib/kbootstrap keyed by size, mtime and inode: an atomic replace changes the inode.
k3s_binary_sha256() {
  key=$(stat -L -c '%s %Y %i' "$1" 2>/dev/null) || return 0
  cache="$R/var/lib/kbootstrap/facts-cache/k3s-binary.sha256"
  cached=
  [ -r "$cache" ] && { IFS= read -r cached < "$cache" || :; }
  if [ "${cached% *}" = "$key" ]; then
    printf '%s\n' "${cached##* }"
    return 0
  fi
  sum=$(sha256sum < "$1") || return 0
  sum=${sum%% *}
  printf '%s\n' "$sum"
  mkdir -p "${cache%/*}" 2>/dev/null && printf '%s %s\n' "$key" "$sum" > "$cache" 2>/dev/null
  return 0
}

k3s() {
  bin="$R/usr/local/bin/k3s"
  section k3s_version
  if [ -x "$bin" ]; then
    version=$("$bin" --version 2>/dev/null)
    printf '%s\n' "${version%%"$NL"*}"
  fi
  section k3s_units
  for u in k3s k3s-agent; do [ -e "$R/etc/systemd/system/$u.service" ] && printf '%s\n' "$u"; done
  # Hashes only: config.yaml holds the join token and never leaves the node.
  section k3s_sha256
  set --
  for f in /etc/rancher/k3s/config.yaml /etc/systemd/system/k3s.service /etc/systemd/system/k3s-agent.service; do
    [ -f "$R$f" ] && set -- "$@" "$R$f"
  done
  [ $# -gt 0 ] && sha256sum -- "$@" 2>/dev/null
  section k3s_binary_sha256
  [ -x "$bin" ] && k3s_binary_sha256 "$bin"
  section k3s_active_since_ms
  set -- $unit_states
  for u in $UNITS; do
    state=${1:-unknown}
    [ $# -gt 0 ] && shift
    case $u in k3s|k3s-agent) ;; *) continue ;; esac
    [ "$state" = active ] || continue
    since=$(systemctl show -p ActiveEnterTimestamp --value "$u" 2>/dev/null)
    [ -n "$since" ] && printf '%s %s\n' "$u" "$(date -d "$since" +%s%3N 2>/dev/null)"
  done
}

# Originals kbootstrap backed up (the backup tree mirrors / ; "X.absent" marks a file that did not exist).
backups() {
  section backups
  base="$R/var/lib/kbootstrap/backup"
  [ -d "$base" ] && walk "$base" "$base"
}

walk() {
  for entry in "$2"/* "$2"/.[!.]*; do
    if [ -d "$entry" ] && [ ! -L "$entry" ]; then
      walk "$1" "$entry"
    elif [ -f "$entry" ]; then
      printf '%s\n' "${entry#"$1"}"
    fi
  done
}

boot() {
  boot_dir=$(first_existing /boot/firmware/cmdline.txt /boot/cmdline.txt) || boot_dir=
  boot_dir=${boot_dir%/cmdline.txt}
  section boot_dir; printf '%s\n' "$boot_dir"
}

# Fixed paths are always listed (absent ones become content null); globbed ones only when they exist.
candidate_files() {
  printf '%s\n' /etc/os-release /usr/lib/os-release /etc/rpi-issue /etc/hostname /etc/hosts /etc/dhcpcd.conf \
    /etc/network/interfaces /etc/dphys-swapfile /etc/rpi/swap.conf /etc/systemd/zram-generator.conf \
    /usr/lib/systemd/zram-generator.conf /etc/fstab \
    /etc/systemd/system/k3s.service /etc/systemd/system/k3s-agent.service \
    /usr/local/bin/k3s-killall.sh /usr/local/bin/k3s-uninstall.sh /usr/local/bin/k3s-agent-uninstall.sh \
    /etc/rancher/k3s/config.yaml.d/50-kbootstrap-registration.yaml
  [ -n "$boot_dir" ] && printf '%s\n' "$boot_dir/cmdline.txt" "$boot_dir/config.txt"
  for f in "$R"/etc/NetworkManager/system-connections/* "$R"/etc/netplan/*.yaml "$R"/lib/netplan/*.yaml \
    "$R"/usr/lib/netplan/*.yaml "$R"/etc/rpi/swap.conf.d/* "$R"/etc/network/interfaces.d/*; do
    [ -f "$f" ] && printf '%s\n' "${f#"$R"}"
  done
}

files() {
  candidates=$(candidate_files)
  section file_candidates; printf '%s\n' "$candidates"
  set --
  set -f
  IFS=$NL
  for f in $candidates; do [ -f "$R$f" ] && set -- "$@" "$R$f"; done
  unset IFS
  set +f
  section file_stats
  [ $# -gt 0 ] && stat -L -c '%s %a %n' -- "$@" 2>/dev/null
  section file_blob
  [ $# -gt 0 ] && cat -- "$@" 2>/dev/null | base64 -w0
  printf '\n'
}

# A reboot kbootstrap asked for that has not happened yet: the marker's first line is the boot id it was
# written under (src/phases/reboot-pending.ts); the workstation compares it with this boot's id.
reboot_pending() {
  section boot_id; first_line "$R/proc/sys/kernel/random/boot_id"
  section reboot_pending; all_lines "$R/var/lib/kbootstrap/reboot-pending"
}

gather() {
  section format; printf '1\n'
  section root; printf '%s\n' "$R"
  identity
  board
  network
  tools
  swap
  cgroups
  resources
  k3s
  backups
  boot
  reboot_pending
  files
}

# Sections to JSON. Replacements go through split/join because gsub's treatment of backslashes in the
# replacement differs between awks; the separators are strings (a bare /re/ argument would mean $0 ~ /re/).
TO_JSON='
function join_on(s, re, by,    parts, n, i, out) {
  n = split(s, parts, re)
  out = parts[1]
  for (i = 2; i <= n; i++) out = out by parts[i]
  return out
}
function esc(s) {
  s = join_on(s, "\\\\", "\\\\")
  s = join_on(s, "\"", "\\\"")
  s = join_on(s, "\t", "\\t")
  s = join_on(s, "\r", "\\r")
  gsub(/[\001-\037]/, "?", s)
  return s
}
function flush() {
  if (key != "") printf "%s\"%s\":\"%s\"", (count++ ? "," : "{"), key, buf
}
/^@@kb@@ / { flush(); key = substr($0, 8); buf = ""; lines = 0; next }
{ buf = (lines++ ? buf "\\n" : "") esc($0) }
END { flush(); if (!count) printf "{"; print "}" }
'

# cloud-init (Pi OS Trixie, Ubuntu for Pi): installed, switched off, and the NoCloud seed files on the
# boot partition that it reads at every boot. Names only: user-data holds the user's password hash.
cloud_init() {
  section cloud_init
  [ -x "$R/usr/bin/cloud-init" ] || return 0
  printf 'installed\n'
  [ -e "$R/etc/cloud/cloud-init.disabled" ] && printf 'disabled\n'
  for d in /boot/firmware /boot; do
    for f in user-data meta-data network-config; do [ -f "$R$d/$f" ] && printf 'seed %s\n' "$d/$f"; done
  done
  return 0
}

{ gather; cloud_init; } </dev/null | awk "$TO_JSON"
