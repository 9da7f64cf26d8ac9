#!/usr/bin/env bash
# Installs the system tools the tests drive for real (nft, iptables, ip, dig,
# docker-compose for validating the compose file, the official Python client,
# strace for counting the store's syncs, setpriv for the process runtime) when
# any is missing.
# Quick when everything is present; needs root (or sudo) otherwise.
set -euo pipefail
missing=()
command -v nft >/dev/null 2>&1 || missing+=(nftables)
command -v iptables-restore >/dev/null 2>&1 || missing+=(iptables)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v dig >/dev/null 2>&1 || missing+=(dnsutils)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
/usr/bin/python3 -c 'import kubernetes' >/dev/null 2>&1 || missing+=(python3-kubernetes)
command -v strace >/dev/null 2>&1 || missing+=(strace)
# setpriv sets no_new_privs and the user of every container the agent runs.
command -v setpriv >/dev/null 2>&1 || missing+=(util-linux)
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
