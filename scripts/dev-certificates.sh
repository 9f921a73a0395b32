#!/usr/bin/env bash
# Creates self-signed signing and encryption certificates for the OpenID Connect server of a production-like local run
# (docker-compose.yml): .data/certs/signing.pfx and encryption.pfx, password "compose". Never for a real deployment.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$repo/.data/certs"
mkdir -p "$out"
for name in signing encryption; do
  [[ -f "$out/$name.pfx" ]] && { echo "$out/$name.pfx exists, kept"; continue; }
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=monolith-$name" \
    -keyout "$out/$name.key" -out "$out/$name.crt" 2>/dev/null
  openssl pkcs12 -export -in "$out/$name.crt" -inkey "$out/$name.key" -out "$out/$name.pfx" -passout pass:compose
  rm -f "$out/$name.key"
  chmod 644 "$out/$name.pfx" # read by the container's non-root user
  echo "wrote $out/$name.pfx"
done
