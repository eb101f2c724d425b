#!/bin/sh
# SPDX-License-Identifier: ISC
# Make the certificates pons's tests use, with the openssl command line only.
# Usage: tests/server/mkcerts.sh DIR
#
# DIR receives (each NAME.pem with its key NAME.key, EC prime256v1):
#   ca           the test CA
#   server       CN=localhost, SAN DNS:localhost IP:127.0.0.1, signed by ca
#   expired      like server, signed by ca, validity entirely in the past
#   wronghost    signed by ca, SAN DNS:wrong.example only
#   selfsigned   self-signed, SAN DNS:localhost IP:127.0.0.1
#   other-ca     a second CA, unrelated to ca
#   othersigned  like server, signed by other-ca
#
# Idempotent: when DIR already holds a complete set whose server certificate
# still verifies against ca.pem for at least a day, nothing is done.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
dir=$1
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

names="ca server expired wronghost selfsigned other-ca othersigned"

certs_complete() {
	for n in $names; do
		[ -s "$dir/$n.pem" ] && [ -s "$dir/$n.key" ] || return 1
	done
	openssl verify -CAfile "$dir/ca.pem" "$dir/server.pem" >/dev/null 2>&1 &&
	    openssl x509 -in "$dir/server.pem" -noout -checkend 86400 >/dev/null 2>&1
}
certs_complete && exit 0

umask 077
work=$(mktemp -d "${TMPDIR:-/tmp}/pons-certs.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

newkey() {	# name
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 \
	    -out "$work/$1.key" 2>/dev/null
}

# A minimal "openssl ca" setup per issuing CA: it is the only openssl
# command that takes explicit start and end dates.
caconf() {	# name
	d=$work/db-$1
	mkdir -p "$d/new"
	: >"$d/index.txt"
	printf '%s\n' "$(openssl rand -hex 8)" >"$d/serial"
	cat >"$work/$1.cnf" <<EOF
[ ca ]
default_ca = testca

[ testca ]
dir = $d
database = $d/index.txt
new_certs_dir = $d/new
serial = $d/serial
certificate = $work/$1.pem
private_key = $work/$1.key
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
email_in_dn = no
default_days = 825

[ anything ]
commonName = supplied
organizationName = optional

[ req ]
distinguished_name = dn
prompt = no

[ dn ]
CN = unused

[ v3_ca ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ v3_localhost ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ v3_wronghost ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong.example
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ v3_self ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature, keyCertSign
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
EOF
}

mkca() {	# name cn
	newkey "$1"
	caconf "$1"
	openssl req -new -x509 -config "$work/$1.cnf" -extensions v3_ca \
	    -key "$work/$1.key" -subj "/O=pons tests/CN=$2" -days 3650 \
	    -out "$work/$1.pem" 2>/dev/null
}

# sign issuer name cn extension [startdate enddate]
sign() {
	newkey "$2"
	openssl req -new -config "$work/$1.cnf" -key "$work/$2.key" \
	    -subj "/O=pons tests/CN=$3" -out "$work/$2.csr" 2>/dev/null
	if [ $# -ge 6 ]; then
		dates="-startdate $5 -enddate $6"
	else
		dates="-days 825"
	fi
	# shellcheck disable=SC2086
	openssl ca -batch -notext -config "$work/$1.cnf" -extensions "$4" \
	    $dates -in "$work/$2.csr" -out "$work/$2.pem" 2>"$work/ca.err" ||
	    { cat "$work/ca.err" >&2; exit 1; }
}

mkca ca "pons test CA"
mkca other-ca "pons other test CA"
sign ca server localhost v3_localhost
sign ca expired localhost v3_localhost 20200101000000Z 20210101000000Z
sign ca wronghost wrong.example v3_wronghost
sign other-ca othersigned localhost v3_localhost

newkey selfsigned
openssl req -new -x509 -config "$work/ca.cnf" -extensions v3_self \
    -key "$work/selfsigned.key" -subj "/O=pons tests/CN=localhost" \
    -days 825 -out "$work/selfsigned.pem" 2>/dev/null

# Install the complete set at once, keys readable by the test's Dovecot
# (its config process reads ssl_key as root, but a test running as an
# ordinary user reads them too).
for n in $names; do
	cp "$work/$n.pem" "$dir/$n.pem.tmp"
	cp "$work/$n.key" "$dir/$n.key.tmp"
	chmod 644 "$dir/$n.pem.tmp"
	chmod 600 "$dir/$n.key.tmp"
	mv -f "$dir/$n.pem.tmp" "$dir/$n.pem"
	mv -f "$dir/$n.key.tmp" "$dir/$n.key"
done
