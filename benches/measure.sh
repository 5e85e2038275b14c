#!/usr/bin/env bash
# Measures the whole `build` command (README, "Speed"): the example inputs, and 1, 10
# and 100 synthetic periods, with growing files and with a 10-year window.
#
#   benches/measure.sh                 # wall time (hyperfine) and peak memory (GNU time)
#   INSTRUCTIONS=1 benches/measure.sh  # also instruction counts (valgrind), minutes more
#
# Needs hyperfine and /usr/bin/time (Debian: apt-get install hyperfine time), and
# valgrind for INSTRUCTIONS=1. Wall times depend on what else the machine is doing:
# the load average is printed before and after; instruction counts do not.
set -euo pipefail
cd "$(dirname "$0")/.."

work=${WORK:-$(mktemp -d)}
runs=${RUNS:-10}
bin=target/release/taakstelling
gen=target/release/examples/synthetic

cargo build --release --quiet --bin taakstelling --example synthetic

cases=()
for n in 1 10 100; do
  "$gen" --periods "$n" --out "$work/growing-$n/inputs" 2>/dev/null
  "$gen" --periods "$n" --window-years 10 --out "$work/window-$n/inputs" 2>/dev/null
  cases+=("growing-$n" "window-$n")
done

# name, then the arguments of one build
declare -A args
args[example]="build --output $work/example/output"
args[example-2025-I]="build 2025-I --output $work/example-2025-I/output"
for c in "${cases[@]}"; do
  args[$c]="--inputs $work/$c/inputs build --output $work/$c/output"
done
names=(example example-2025-I "${cases[@]}")

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "before: $(uptime)"
cmds=()
for name in "${names[@]}"; do
  cmds+=(-n "$name" "$bin ${args[$name]}")
done
hyperfine -N --warmup 2 --runs "$runs" --export-markdown "$work/hyperfine.md" "${cmds[@]}" \
  >/dev/null 2>&1
echo "after:  $(uptime)"
cat "$work/hyperfine.md"

echo
echo "| build | peak memory (max RSS) | output |"
echo "| --- | ---: | ---: |"
for name in "${names[@]}"; do
  # shellcheck disable=SC2086  # the arguments are meant to split
  kb=$( { /usr/bin/time -f '%M' "$bin" ${args[$name]} 2>&1 >/dev/null; } | tail -1)
  out=$(du -sh "$work/$name/output" | cut -f1)
  echo "| $name | $((kb / 1024)) MB | $out |"
done

if [[ ${INSTRUCTIONS:-0} == 1 ]]; then
  echo
  echo "| build | instructions (callgrind) |"
  echo "| --- | ---: |"
  for name in "${names[@]}"; do
    # shellcheck disable=SC2086
    refs=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null \
      "$bin" ${args[$name]} 2>&1 | sed -n 's/.*refs: *//p')
    echo "| $name | $refs |"
  done
fi
echo
echo "(inputs and outputs in $work)"
