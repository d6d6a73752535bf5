#!/bin/sh
# One-shot: the local merchant's keys for the WeChat Pay simulator, made at the first `docker compose up` into the
# wechatpay volume (never in an image, never in the repository). Delete the volume to get new ones.
set -eu
cd /keys
if [ -f apiclient_key.pem ]; then exit 0; fi
apk add --no-cache openssl >/dev/null
umask 077
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out apiclient_key.pem 2>/dev/null
# The serial is fixed (SHOP_MERCHANT_CERT_SERIAL in compose.yaml): the silos name it in every signed request.
openssl req -new -x509 -key apiclient_key.pem -out apiclient_cert.pem -days 3650 -set_serial 0x5E0C0DE5 \
  -subj "/CN=1900000001/O=Shop compose merchant (WeChat Pay simulator only)" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out platform_key.pem 2>/dev/null
# The hosts run as the images' non-root user; the simulator writes pub_key.pem here at its start.
chown -R 1654:1654 /keys
chmod 700 /keys
