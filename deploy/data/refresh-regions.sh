#!/usr/bin/env bash
# Rebuilds deploy/data/regions.csv (province, city, district with their 6-digit GB/T 2260 codes) from the CSV files
# of modood/Administrative-divisions-of-China (dist/provinces.csv, cities.csv, areas.csv), which republish the
# National Bureau of Statistics' 统计用区划代码 (its county-level codes are the GB/T 2260 codes the Ministry of Civil
# Affairs publishes). Usage:
#   deploy/data/refresh-regions.sh                 # download from the repository's master branch
#   deploy/data/refresh-regions.sh /path/to/dist   # or convert a local copy (e.g. a pinned release)
# Review the diff (git diff --stat deploy/data/regions.csv) before committing: a removed code makes saved addresses
# that use it fail validation on their next order.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source="${1:-https://raw.githubusercontent.com/modood/Administrative-divisions-of-China/master/dist}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for f in provinces cities areas; do
  if [[ -d "$source" ]]; then cp "$source/$f.csv" "$work/$f.csv"; else curl -fsSL "$source/$f.csv" -o "$work/$f.csv"; fi
done
{
  echo "code,name,level,parent_code"
  # provinces: 2 digits -> xx0000; cities: 4 digits -> xxxx00; districts: already 6 digits.
  awk -F, 'NR>1 { gsub(/"/, "", $2); printf "%s0000,%s,province,\n", $1, $2 }' "$work/provinces.csv"
  awk -F, 'NR>1 { gsub(/"/, "", $2); printf "%s00,%s,city,%s0000\n", $1, $2, $3 }' "$work/cities.csv"
  # 东莞, 中山 and 儋州 have no districts: the source lists each city again as its own "area" under the same code,
  # which is left out (the city itself is the address's region).
  awk -F, 'NR>1 { gsub(/"/, "", $2); if ($1 != $3 "00") printf "%s,%s,district,%s00\n", $1, $2, $3 }' "$work/areas.csv"
} | tr -d '\r' > "$work/regions.csv"
rows=$(($(wc -l < "$work/regions.csv") - 1))
if (( rows < 3000 )); then
  echo "refusing: only $rows regions (expected about 3,300); is the source complete?" >&2
  exit 1
fi
mv "$work/regions.csv" "$here/regions.csv"
echo "wrote $rows regions to $here/regions.csv"
