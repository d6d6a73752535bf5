#!/usr/bin/env bash
# Refreshes Shop.WeChatPay/MiniProgram/delivery-companies.json from WeChat's live get_delivery_list. The file is only the
# fallback courier list (before the cluster's first fetch, or without a configured mini program): a running cluster with
# WeChatMiniProgram:AppId/AppSecret fetches the live list itself (WeChatMiniProgram:DeliveryListRefresh), no rebuild.
# With the mini program's own credentials:
#   WECHAT_APPID=wx… WECHAT_APP_SECRET=… deploy/refresh-delivery-companies.sh
# WECHAT_API_BASE defaults to https://api.weixin.qq.com (point it at the simulator to try the script). Needs curl, jq.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FILE="$ROOT/Shop.WeChatPay/MiniProgram/delivery-companies.json"
BASE=${WECHAT_API_BASE:-https://api.weixin.qq.com}
: "${WECHAT_APPID:?set WECHAT_APPID}" "${WECHAT_APP_SECRET:?set WECHAT_APP_SECRET}"

token_answer=$(curl -sS --fail "$BASE/cgi-bin/stable_token" -H 'Content-Type: application/json' \
  -d "$(jq -nc --arg appid "$WECHAT_APPID" --arg secret "$WECHAT_APP_SECRET" '{grant_type: "client_credential", appid: $appid, secret: $secret}')")
token=$(echo "$token_answer" | jq -er '.access_token') || { echo "stable_token refused: $token_answer" >&2; exit 1; }

list=$(curl -sS --fail "$BASE/cgi-bin/express/delivery/open_msg/get_delivery_list?access_token=$token" -H 'Content-Type: application/json' -d '{}')
if [ "$(echo "$list" | jq '.errcode // 0')" != 0 ] || [ "$(echo "$list" | jq '.delivery_list | length')" -lt 1 ]; then
  echo "get_delivery_list refused: $(echo "$list" | jq -c '{errcode, errmsg}')" >&2
  exit 1
fi

echo "$list" | jq --arg retrieved "$(date -u +%F)" '{
  source: "https://developers.weixin.qq.com/miniprogram/dev/server/API/weixin-express/express-msg/api_get_delivery_list.html (POST /cgi-bin/express/delivery/open_msg/get_delivery_list)",
  note: "WeChat'"'"'s full list as the merchant'"'"'s mini program received it.",
  retrieved: $retrieved,
  delivery_list: [.delivery_list[] | {delivery_id, delivery_name}]
}' > "$FILE.tmp"
mv "$FILE.tmp" "$FILE"
echo "$(jq '.delivery_list | length' "$FILE") couriers written to ${FILE#"$ROOT"/}; rebuild to use them as the fallback."
