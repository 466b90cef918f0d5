#!/usr/bin/env bash
# Rewrites data/golden/items.sha256 with the built CLI (run `npm run build` first). Each line is the
# sha256 of one item's JSONL line (including its newline) and the (config flags, seed, index) that
# regenerate it; tests/generator/dataset.golden.test.ts checks every line. Only refresh on purpose,
# in the commit that changes the generator's output, and say why in its message.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=data/golden/items.sha256
seed=7
count=3
{
  echo "# sha256(JSONL line + \"\\n\")  level task depth seed index — refresh: bash data/golden/refresh.sh"
  for spec in implication:32 conjunction:16 negation:16 disjunction:12 quantification:10; do
    level=${spec%%:*}
    depth=${spec##*:}
    for task in choice proof choice+proof; do
      node dist/src/cli/main.js generate --level "$level" --depth "$depth" --task "$task" \
        --count "$count" --seed "$seed" --out "$tmp/items.jsonl" >/dev/null 2>"$tmp/log" || { cat "$tmp/log" >&2; exit 1; }
      i=0
      while IFS= read -r line; do
        h=$(printf '%s\n' "$line" | sha256sum | cut -d' ' -f1)
        echo "$h  level=$level task=$task depth=$depth seed=$seed index=$i"
        i=$((i + 1))
      done <"$tmp/items.jsonl"
    done
  done
} >"$tmp/items.sha256"
mv "$tmp/items.sha256" "$out"
echo "wrote $out ($(grep -vc '^#' "$out") items)" >&2

# The shipped samples (data/samples), checked by the same test.
gen() { node dist/src/cli/main.js generate --count 5 --seed 2026 "$@" >/dev/null 2>"$tmp/log" || { cat "$tmp/log" >&2; exit 1; }; }
for level in implication conjunction negation disjunction quantification; do
  for task in choice proof; do
    gen --level "$level" --task "$task" --out "data/samples/$level-$task.jsonl"
  done
done
gen --level quantification --format parquet --out data/samples/quantification-choice.parquet
echo "wrote data/samples" >&2
