#!/bin/sh
# SPDX-License-Identifier: ISC
# Install the Debian packages pons needs to build, test and run its demo.
# As root it runs apt-get; otherwise it prints the exact command to run.
# Usage: scripts/deps.sh [--bench]
set -eu

pkgs="build-essential autoconf automake gettext pkg-config
libncurses-dev libssl-dev libsqlite3-dev libcmocka-dev
dovecot-core dovecot-imapd dovecot-pop3d openssl tmux python3 procps
clang libclang-rt-14-dev"
[ "${1-}" = --bench ] && pkgs="$pkgs neomutt mutt fetchmail getmail6 gnuplot-nox hyperfine time bc"

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "pons needs:$missing" >&2
	echo "run: sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
