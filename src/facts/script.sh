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
# `sh -s first-server`: the first server also answers for the cluster (see first_server).
MODE=${1:-}
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

# Sets $found to the first path that exists (a variable, not output: no subshell to capture it).
first_existing() {
  found=
  for p in "$@"; do [ -e "$R$p" ] && { found=$p; return 0; }; done
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
  # systemd as PID 1 writes /run/systemd/container when it finds one, so reading it answers without a process.
  section container
  if [ -z "$R" ]; then
    if [ -r /run/systemd/container ]; then first_line /run/systemd/container
    elif [ -d /run/systemd/system ]; then printf 'none\n'
    else systemd-detect-virt --container 2>/dev/null
    fi
  fi
}

board() {
  section model_lab; first_line "$R/etc/kbootstrap-lab/board-model"
  first_existing /proc/device-tree/model /sys/firmware/devicetree/base/model
  dt=$found
  section model_devicetree
  [ -n "$dt" ] && first_line "$R$dt"
  section model_cpuinfo
  [ -z "$dt" ] && [ -r "$R/proc/cpuinfo" ] && while IFS= read -r line; do
    case $line in Model*) printf '%s\n' "$line"; break ;; esac
  done < "$R/proc/cpuinfo"
}

# One `ip` for links, addresses and the default route; its lines are told apart by their shape
# ("N: name <FLAGS>...", "N: name inet ...", "default via ...").
network() {
  links= addrs= routes=
  ip_out=$(ip -o -batch - 2>/dev/null <<EOF
link
addr
route show default
EOF
)
  while IFS= read -r line; do
    case $line in
      [0-9]*:*)
        read -r idx name fam rest <<EOF
$line
EOF
        case $fam in inet|inet6) addrs=$addrs$line$NL ;; *) links=$links$line$NL ;; esac ;;
      ?*) routes=$routes$line$NL ;;
    esac
  done <<EOF
$ip_out
EOF
  section ip_link; printf '%s' "$links"
  section ip_addr; printf '%s' "$addrs"
  section ip_route_default; printf '%s' "$routes"
  units
}

# One `systemctl show` for every unit: its state (as `is-active` prints it), dphys-swapfile's unit file
# state (as `is-enabled` prints it) and when k3s became active (TZ=UTC: the workstation reads it).
# The blocks come in the order of the units asked for, one blank line between them.
units() {
  unit_states= unit_files= unit_since=
  show=$(TZ=UTC systemctl show -p ActiveState,UnitFileState,ActiveEnterTimestamp $UNITS 2>/dev/null) || show=
  set -- $UNITS
  state= file= since=
  while :; do
    IFS= read -r line || line=@@end
    case $line in
      ActiveState=*) state=${line#*=} ;;
      UnitFileState=*) file=${line#*=} ;;
      ActiveEnterTimestamp=*) since=${line#*=} ;;
      ''|@@end)
        if [ $# -gt 0 ] && [ -n "$state" ]; then
          unit_states=$unit_states$state$NL
          unit_files=$unit_files$1=$file$NL
          [ -n "$since" ] && unit_since=$unit_since"$1 $since"$NL
          shift
        fi
        state= file= since=
        [ "$line" = @@end ] && break ;;
    esac
  done <<EOF
$show
EOF
  section units; printf '%s\n' $UNITS
  section units_active; printf '%s' "$unit_states"
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
    for u in $unit_files; do case $u in dphys-swapfile=?*) printf '%s\n' "${u#*=}" ;; esac; done
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

# The binary's sha256 and its `--version` take seconds on a Pi (and far longer under emulation), so both
# are cached under /var/lib/kbootstrap keyed by size, mtime and inode: an atomic replace changes the inode.
# $k3s_key is that key (from the one `stat` of all files, see stat_files).
k3s_cached() {
  cache="$R/var/lib/kbootstrap/facts-cache/$1"
  cached=
  [ -r "$cache" ] && { IFS= read -r cached < "$cache" || :; }
  case $cached in "$k3s_key "*) printf '%s\n' "${cached#"$k3s_key "}"; return 0 ;; esac
  return 1
}

k3s_cache() {
  cache="$R/var/lib/kbootstrap/facts-cache/$1"
  mkdir -p "${cache%/*}" 2>/dev/null && printf '%s %s\n' "$k3s_key" "$2" > "$cache" 2>/dev/null
  return 0
}

k3s_binary_sha256() {
  [ -n "$k3s_key" ] || return 0
  k3s_cached k3s-binary.sha256 && return 0
  sum=$(sha256sum < "$1") || return 0
  sum=${sum%% *}
  printf '%s\n' "$sum"
  k3s_cache k3s-binary.sha256 "$sum"
}

k3s_binary_version() {
  [ -n "$k3s_key" ] && k3s_cached k3s-binary.version && return 0
  version=$("$1" --version 2>/dev/null)
  version=${version%%"$NL"*}
  printf '%s\n' "$version"
  [ -n "$k3s_key" ] && [ -n "$version" ] && k3s_cache k3s-binary.version "$version"
  return 0
}

k3s() {
  bin="$R/usr/local/bin/k3s"
  section k3s_version
  [ -x "$bin" ] && k3s_binary_version "$bin"
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
  # "<unit> <ActiveEnterTimestamp in UTC>" of an active k3s unit; the workstation turns it into ms.
  section k3s_active_since
  set -- $unit_states
  for u in $UNITS; do
    state=${1:-unknown}
    [ $# -gt 0 ] && shift
    case $u in k3s|k3s-agent) ;; *) continue ;; esac
    [ "$state" = active ] || continue
    while IFS= read -r line; do
      case $line in "$u "?*) printf '%s\n' "$line" ;; esac
    done <<EOF
$unit_since
EOF
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
  first_existing /boot/firmware/cmdline.txt /boot/cmdline.txt
  boot_dir=${found%/cmdline.txt}
  section boot_dir; printf '%s\n' "$boot_dir"
}

# Fixed paths are always listed (absent ones become content null); globbed ones only when they exist.
# Sets $candidates, one path a line.
candidate_files() {
  candidates=
  for f in /etc/os-release /usr/lib/os-release /etc/rpi-issue /etc/hostname /etc/hosts /etc/dhcpcd.conf \
    /etc/network/interfaces /etc/dphys-swapfile /etc/rpi/swap.conf /etc/systemd/zram-generator.conf \
    /usr/lib/systemd/zram-generator.conf /etc/fstab \
    /etc/systemd/system/k3s.service /etc/systemd/system/k3s-agent.service \
    /usr/local/bin/k3s-killall.sh /usr/local/bin/k3s-uninstall.sh /usr/local/bin/k3s-agent-uninstall.sh \
    /etc/rancher/k3s/config.yaml.d/50-kbootstrap-registration.yaml; do
    candidates=$candidates$f$NL
  done
  [ -n "$boot_dir" ] && candidates=$candidates$boot_dir/cmdline.txt$NL$boot_dir/config.txt$NL
  for f in "$R"/etc/NetworkManager/system-connections/* "$R"/etc/netplan/*.yaml "$R"/lib/netplan/*.yaml \
    "$R"/usr/lib/netplan/*.yaml "$R"/etc/rpi/swap.conf.d/* "$R"/etc/network/interfaces.d/*; do
    [ -f "$f" ] && candidates=$candidates${f#"$R"}$NL
  done
}

# ONE `stat` for the candidate files that exist and the k3s binary: sets $present (the files, one a
# line), $file_stats ("size mode path" lines) and $k3s_key ("size mtime inode" of the binary, or empty).
stat_files() {
  candidate_files
  present=
  set --
  [ -x "$R/usr/local/bin/k3s" ] && set -- "$R/usr/local/bin/k3s"
  set -f
  IFS=$NL
  for f in $candidates; do [ -f "$R$f" ] && { set -- "$@" "$R$f"; present=$present$R$f$NL; }; done
  unset IFS
  set +f
  file_stats= k3s_key=
  [ $# -gt 0 ] || return 0
  out=$(stat -L -c '%s %a %Y %i %n' -- "$@" 2>/dev/null)
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    size=${line%% *}; rest=${line#* }
    mode=${rest%% *}; rest=${rest#* }
    mtime=${rest%% *}; rest=${rest#* }
    inode=${rest%% *}; name=${rest#* }
    if [ "$name" = "$R/usr/local/bin/k3s" ]; then k3s_key="$size $mtime $inode"
    else file_stats=$file_stats"$size $mode $name"$NL
    fi
  done <<EOF
$out
EOF
}

files() {
  section file_candidates; printf '%s' "$candidates"
  section file_stats; printf '%s' "$file_stats"
  set --
  set -f
  IFS=$NL
  for f in $present; do set -- "$@" "$f"; done
  unset IFS
  set +f
  section file_blob
  [ $# -gt 0 ] && cat -- "$@" 2>/dev/null | base64 -w0
  printf '\n'
}

# The first server's side of a run, in the same round trip: the join tokens, the kubeconfig k3s wrote
# (the workstation asks the API for the node list with it, through this connection), the addons' files
# and the run lock. The workstation keeps them in memory only (the tokens
# registered as secrets), never in the facts, and uses them only while nothing changed on that server.
first_server() {
  section server_token; all_lines "$R/var/lib/rancher/k3s/server/token"
  section server_agent_token; all_lines "$R/var/lib/rancher/k3s/server/agent-token"
  section server_kubeconfig; all_lines "$R/etc/rancher/k3s/k3s.yaml"
  # What src/addons/files.ts buildStateCommand prints: the manifests' sums (one sha256sum), then the addon index.
  section server_addons
  (
    cd "$R/var/lib/rancher/k3s/server/manifests" 2>/dev/null || exit 0
    set --
    for f in *.yaml *.yml *.json; do [ -f "$f" ] && set -- "$@" "$f"; done
    [ $# -gt 0 ] && sha256sum -- "$@"
  )
  printf '@@index\n'; all_lines "$R/var/lib/kbootstrap/addons.json"
  # The run lock (src/phases/lock.ts): who holds it, and how many runs took it so far.
  section run_lock; all_lines "$R/var/lib/kbootstrap/run.lock"
  section run_generation; first_line "$R/var/lib/kbootstrap/run.generation"
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
  network
  board
  tools
  swap
  cgroups
  resources
  boot
  stat_files
  k3s
  backups
  reboot_pending
  files
  [ "$MODE" = first-server ] && first_server
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
