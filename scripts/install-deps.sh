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
if [ "${#need[@]}" -gt 0 ]; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need[@]}"
fi
bash test/lab/install-deps.sh
