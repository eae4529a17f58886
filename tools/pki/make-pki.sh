#!/usr/bin/env bash
# make-pki.sh DIR [EXTRA_SAN_IP...]
#
# Creates a throwaway PKI for apiserver-lite in DIR with the openssl CLI:
#   ca.crt/ca.key          self-signed CA (also the client CA)
#   server.crt/server.key  serving cert, SANs 127.0.0.1, ::1, localhost and every EXTRA_SAN_IP
#   client.crt/client.key  client cert CN=kube-router, O=system:nodes (Kubernetes maps CN to the
#                          user name and O to groups for x509 client-cert authentication)
# ECDSA P-256 keys keep generation fast; Go's crypto/tls (kubectl) and OpenSSL both accept them.
# Existing files in DIR are overwritten. Exits non-zero with a message on any failure.
set -euo pipefail

if [ $# -lt 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
  echo "usage: $0 DIR [EXTRA_SAN_IP...]" >&2
  exit 2
fi
dir=$1
shift

san="DNS:localhost,IP:127.0.0.1,IP:::1"
for ip in "$@"; do
  # Reject anything that is not an IPv4/IPv6 literal: it would end up inside an openssl config.
  if ! [[ "$ip" =~ ^[0-9A-Fa-f:.]+$ ]]; then
    echo "make-pki.sh: extra SAN '$ip' is not an IP address" >&2
    exit 2
  fi
  san="$san,IP:$ip"
done

mkdir -p "$dir"
cd "$dir"
umask 077
days=3650

openssl ecparam -name prime256v1 -genkey -noout -out ca.key
openssl req -x509 -new -key ca.key -sha256 -days "$days" -subj "/CN=apiserver-lite-ca" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.crt 2>/dev/null

issue() {  # issue NAME SUBJECT EXTENSIONS
  local name=$1 subject=$2 ext=$3
  openssl ecparam -name prime256v1 -genkey -noout -out "$name.key"
  openssl req -new -key "$name.key" -subj "$subject" -out "$name.csr" 2>/dev/null
  printf '%b' "$ext" >"$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 \
    -days "$days" -extfile "$name.ext" -out "$name.crt" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}

issue server "/CN=apiserver-lite" \
  "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=$san\n"
issue client "/O=system:nodes/CN=kube-router" \
  "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n"
rm -f ca.srl
# Certificates are public; keys stay 0600.
chmod 0644 ca.crt server.crt client.crt
