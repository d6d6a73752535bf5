#!/usr/bin/env bash
# Builds and starts the silo and the API, waits until both are healthy, prints the URLs, and stops both on
# Ctrl-C / SIGTERM. With no settings it runs the embedded mode (nothing to install, nothing persisted); set
# ConnectionStrings__Shop to run against PostgreSQL. Every other setting passes through as an environment variable.
set -euo pipefail
cd "$(dirname "$0")/.."

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
SILO_URL="${SILO_URL:-http://127.0.0.1:8080}"
API_URL="${API_URL:-http://127.0.0.1:5080}"
LOG_DIR="${LOG_DIR:-.local/logs}"
mkdir -p "$LOG_DIR"

echo "Building..."
dotnet build Shop.sln -c Release -v quiet -nologo >/dev/null

pids=()
stop() {
  trap - INT TERM EXIT
  echo "Stopping..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "Stopped."
}
trap stop INT TERM EXIT

wait_healthy() {
  local name=$1 url=$2 pid=$3
  for _ in $(seq 1 240); do
    if curl -fsS "$url/health/ready" >/dev/null 2>&1; then echo "$name is ready"; return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "$name exited; see $LOG_DIR/$name.log" >&2; tail -n 20 "$LOG_DIR/$name.log" >&2; return 1; fi
    sleep 0.5
  done
  echo "$name did not become ready; see $LOG_DIR/$name.log" >&2
  return 1
}

(cd Shop.Silo && exec dotnet bin/Release/net10.0/Shop.Silo.dll --urls "$SILO_URL") >"$LOG_DIR/silo.log" 2>&1 &
pids+=($!)
wait_healthy silo "$SILO_URL" "${pids[0]}"

(cd Shop.Api && exec dotnet bin/Release/net10.0/Shop.Api.dll --urls "$API_URL") >"$LOG_DIR/api.log" 2>&1 &
pids+=($!)
wait_healthy api "$API_URL" "${pids[1]}"

cat <<INFO

Shop is running (${ASPNETCORE_ENVIRONMENT}; persistence: ${ConnectionStrings__Shop:+PostgreSQL}${ConnectionStrings__Shop:-embedded, nothing is persisted}).
  API         $API_URL
  OpenAPI     $API_URL/openapi/v1.json   (UI: $API_URL/scalar)
  Dashboard   $SILO_URL/dashboard
  Health      $API_URL/health/ready   $SILO_URL/health/ready
  Metrics     $API_URL/metrics   $SILO_URL/metrics
  Logs        $LOG_DIR/
Press Ctrl-C to stop.
INFO

wait -n "${pids[@]}"
