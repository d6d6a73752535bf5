#!/bin/bash
# The images' HEALTHCHECK: GET <path> (default /health/ready) on the port of the host's first Urls entry, over bash's
# /dev/tcp (the ASP.NET Core runtime image has no curl). Healthy = HTTP 200; docker's --timeout bounds a hung host.
set -euo pipefail
url=${Urls%%;*}
port=${url##*:}
port=${port%%/*}
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "${1:-/health/ready}" >&3
IFS= read -r status <&3
[[ $status == *" 200 "* ]]
