#!/usr/bin/env bash
# Builds and starts the WeChat Pay simulator, the silo and the API, waits until each is healthy, prints the URLs, and
# stops all of them on Ctrl-C / SIGTERM (or when one of them exits). With no settings it runs the embedded mode (nothing
# to install, nothing persisted); set ConnectionStrings__Shop to run against PostgreSQL. Every other setting passes
# through as an environment variable.
#
# Payments: by default the silo and the API are a merchant of the local simulator. The merchant's keys are made for
# this machine at the first run (openssl) into .local/wechatpay/ (git-ignored); no key ships with the repository.
#   deploy/run-local.sh --no-payments   (or SHOP_PAYMENTS=off)  no simulator; payment routes answer 503
#   WeChatPay__MchId=... set in the environment                 your own merchant settings, no simulator
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

usage() {
  echo "usage: deploy/run-local.sh [--no-payments]"
  echo "  --no-payments  start only the silo and the API, without the WeChat Pay simulator (also: SHOP_PAYMENTS=off)"
}

PAYMENTS="${SHOP_PAYMENTS:-simulator}"
for arg in "$@"; do
  case "$arg" in
    --no-payments) PAYMENTS=off ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $arg" >&2; usage >&2; exit 64 ;;
  esac
done
case "$PAYMENTS" in
  simulator|off) ;;
  *) echo "SHOP_PAYMENTS must be 'simulator' or 'off' (got '$PAYMENTS')" >&2; exit 64 ;;
esac
if [[ "$PAYMENTS" == simulator && -n "${WeChatPay__MchId:-}" ]]; then
  PAYMENTS=merchant # the caller configured a merchant of their own: use it as given
elif [[ "$PAYMENTS" == off ]]; then
  unset WeChatPay__MchId WeChatLogin__AppId # payments are off when no merchant is named; login too without an appid
fi

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
SILO_URL="${SILO_URL:-http://127.0.0.1:8080}"
API_URL="${API_URL:-http://127.0.0.1:5080}"
SIM_URL="${SIM_URL:-http://127.0.0.1:5090}"
LOG_DIR="${LOG_DIR:-.local/logs}"
WECHATPAY_DIR="${WECHATPAY_DIR:-.local/wechatpay}"
[[ "$WECHATPAY_DIR" == /* ]] || WECHATPAY_DIR="$ROOT/$WECHATPAY_DIR" # the hosts run from their project folders
mkdir -p "$LOG_DIR"

# A merchant for this machine only: merchant API key and self-signed certificate, the simulator's platform key, and
# random mchid, appid, APIv3 key and AppSecret. Made once; delete the folder to start over with new ones.
make_local_merchant() {
  [[ -f "$WECHATPAY_DIR/merchant.env" ]] && return 0
  command -v openssl >/dev/null || { echo "openssl is needed once to make the local WeChat Pay keys (or run with --no-payments)" >&2; exit 1; }
  echo "Making WeChat Pay simulator keys for this machine in $WECHATPAY_DIR ..."
  mkdir -p "$WECHATPAY_DIR"
  chmod 700 "$WECHATPAY_DIR"
  local tmp mchid serial
  tmp=$(mktemp -d "$WECHATPAY_DIR/.new.XXXXXX")
  mchid=$(printf '19%08d' $(( 0x$(openssl rand -hex 4) % 100000000 )))
  (
    umask 077
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/apiclient_key.pem" 2>/dev/null
    openssl req -new -x509 -key "$tmp/apiclient_key.pem" -out "$tmp/apiclient_cert.pem" -days 3650 \
      -subj "/CN=$mchid/O=Shop local merchant (WeChat Pay simulator only)" 2>/dev/null
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/platform_key.pem" 2>/dev/null
  )
  serial=$(openssl x509 -in "$tmp/apiclient_cert.pem" -noout -serial | cut -d= -f2)
  (umask 077; cat >"$tmp/merchant.env" <<ENV
# Made by deploy/run-local.sh for the local WeChat Pay simulator; never use these anywhere else.
WECHATPAY_MCHID=$mchid
WECHATPAY_APPID=wx$(openssl rand -hex 8)
WECHATPAY_APIV3_KEY=$(openssl rand -hex 16)
WECHATPAY_CERT_SERIAL=$serial
WECHATPAY_PUBLIC_KEY_ID=PUB_KEY_ID_01${mchid}0000000000000000
WECHAT_APP_SECRET=$(openssl rand -hex 16)
ENV
  )
  mv "$tmp"/*.pem "$WECHATPAY_DIR/"
  mv "$tmp/merchant.env" "$WECHATPAY_DIR/merchant.env" # last: its presence means the set is complete
  rmdir "$tmp"
}

sim_env=() silo_env=() api_env=()
if [[ "$PAYMENTS" == simulator ]]; then
  make_local_merchant
  # shellcheck source=/dev/null
  . "$WECHATPAY_DIR/merchant.env"
  sim_env=(
    "Simulator__PublicKeyId=$WECHATPAY_PUBLIC_KEY_ID"
    "Simulator__PlatformPrivateKeyPath=$WECHATPAY_DIR/platform_key.pem"
    "Simulator__PlatformPublicKeyOutputPath=$WECHATPAY_DIR/pub_key.pem"
    "Simulator__PlatformCertificateOutputPath=$WECHATPAY_DIR/platform_cert.pem"
    "Simulator__Merchants__0__MchId=$WECHATPAY_MCHID"
    "Simulator__Merchants__0__AppIds__0=$WECHATPAY_APPID"
    "Simulator__Merchants__0__ApiV3Key=$WECHATPAY_APIV3_KEY"
    "Simulator__Merchants__0__KeyMode=PublicKey"
    "Simulator__Merchants__0__Certificates__0__Serial=$WECHATPAY_CERT_SERIAL"
    "Simulator__Merchants__0__Certificates__0__PemPath=$WECHATPAY_DIR/apiclient_cert.pem"
    "Simulator__MiniProgramSecrets__$WECHATPAY_APPID=$WECHAT_APP_SECRET"
  )
  silo_env=(
    "WeChatPay__MchId=$WECHATPAY_MCHID"
    "WeChatPay__AppId=$WECHATPAY_APPID"
    "WeChatPay__MerchantPrivateKeyPath=$WECHATPAY_DIR/apiclient_key.pem"
    "WeChatPay__MerchantCertificateSerial=$WECHATPAY_CERT_SERIAL"
    "WeChatPay__ApiV3Key=$WECHATPAY_APIV3_KEY"
    "WeChatPay__PublicKeyId=$WECHATPAY_PUBLIC_KEY_ID"
    "WeChatPay__PublicKeyPath=$WECHATPAY_DIR/pub_key.pem"
    "WeChatPay__NotifyUrl=$API_URL/api/payments/wechat/notify"
    "WeChatPay__BaseUrl=$SIM_URL"
    "WeChatMiniProgram__BaseUrl=$SIM_URL"
    "WeChatMiniProgram__AppId=$WECHATPAY_APPID"
    "WeChatMiniProgram__AppSecret=$WECHAT_APP_SECRET"
  )
  api_env=(
    "WeChatPay__MchId=$WECHATPAY_MCHID"
    "WeChatPay__AppId=$WECHATPAY_APPID"
    "WeChatLogin__BaseUrl=$SIM_URL"
    "WeChatLogin__AppId=$WECHATPAY_APPID"
    "WeChatLogin__AppSecret=$WECHAT_APP_SECRET"
  )
fi

echo "Building..."
dotnet build Shop.sln -c Release -v quiet -nologo >/dev/null

pids=()
stop() {
  trap - INT TERM EXIT
  echo "Stopping..."
  # Last started first: the API drains its requests while the silo still serves them, the silo while the simulator runs.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
  echo "Stopped."
}
trap stop EXIT
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM

wait_healthy() {
  local name=$1 url=$2 pid=$3
  for _ in $(seq 1 240); do
    if curl -fsS "$url/health/ready" >/dev/null 2>&1; then echo "$name is ready"; return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name exited; see $LOG_DIR/$name.log" >&2
      grep -vE '^\s+at |^\s*--- End of' "$LOG_DIR/$name.log" | tail -n 12 >&2 # the message, not the stack trace
      return 1
    fi
    sleep 0.5
  done
  echo "$name did not become ready; see $LOG_DIR/$name.log" >&2
  return 1
}

# start NAME PROJECT_DIR URL [VAR=value...]: runs the Release build from its project folder (its content root).
start() {
  local name=$1 project=$2 url=$3
  shift 3
  if curl -fsS "$url/health/ready" >/dev/null 2>&1; then
    echo "Something already answers at $url (another run-local.sh?); stop it or set SILO_URL, API_URL or SIM_URL." >&2
    return 1
  fi
  # Settings go in as environment variables (exported in the subshell, so no secret is ever on a command line).
  (cd "$project" && for setting in "$@"; do export "$setting"; done && exec dotnet "bin/Release/net10.0/$project.dll" --urls "$url") \
    >"$LOG_DIR/$name.log" 2>&1 &
  pids+=($!)
  wait_healthy "$name" "$url" "$!"
}

if [[ "$PAYMENTS" == simulator ]]; then
  rm -f "$WECHATPAY_DIR/pub_key.pem" # the simulator writes it before it is ready; the silo reads it at startup
  start simulator Shop.WeChatPay.Simulator "$SIM_URL" "${sim_env[@]}"
fi
start silo Shop.Silo "$SILO_URL" "${silo_env[@]}"
start api Shop.Api "$API_URL" "${api_env[@]}"

case "$PAYMENTS" in
  simulator) payments="WeChat Pay simulator $SIM_URL (merchant $WECHATPAY_MCHID, appid $WECHATPAY_APPID; keys in ${WECHATPAY_DIR#"$ROOT"/}/)" ;;
  merchant) payments="WeChat Pay merchant $WeChatPay__MchId (your WeChatPay__* settings)" ;;
  off) payments="off (payment routes answer 503 PAYMENTS_NOT_CONFIGURED)" ;;
esac

cat <<INFO

Shop is running (${ASPNETCORE_ENVIRONMENT}; persistence: ${ConnectionStrings__Shop:+PostgreSQL}${ConnectionStrings__Shop:-embedded, nothing is persisted}).
  API         $API_URL
  OpenAPI     $API_URL/openapi/v1.json   (UI: $API_URL/scalar)
  Dashboard   $SILO_URL/dashboard
  Health      $API_URL/health/ready   $SILO_URL/health/ready
  Metrics     $API_URL/metrics   $SILO_URL/metrics
  Payments    $payments
  Logs        $LOG_DIR/
Press Ctrl-C to stop.
INFO

set +e
wait -n "${pids[@]}"
status=$?
echo "A process exited (status $status); see $LOG_DIR/." >&2
exit "$status"
