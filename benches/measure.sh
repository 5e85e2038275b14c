#!/usr/bin/env bash
# Measures the whole `build` command (README, "Speed"): the example inputs, and 1, 10
# and 100 synthetic periods, with growing files and with a 10-year window.
#
#   benches/measure.sh                 # wall time (hyperfine) and peak memory (GNU time)
#   INSTRUCTIONS=1 benches/measure.sh  # also instruction counts (valgrind), minutes more
#
# Wall time is measured twice: with the output on disk (in WORK, a temporary folder
# by default) and, when /dev/shm exists, in memory (tmpfs), which leaves out the file
# system's share. Needs hyperfine and /usr/bin/time (Debian: apt-get install hyperfine
# time), and valgrind for INSTRUCTIONS=1. Wall times depend on what else the machine
# is doing: the load average is printed before and after; instruction counts do not.
set -euo pipefail
cd "$(dirname "$0")/.."

work=${WORK:-$(mktemp -d)}
runs=${RUNS:-10}
bin=target/release/taakstelling
gen=target/release/examples/synthetic
shm=/dev/shm/taakstelling-measure-$$

cargo build --release --quiet --bin taakstelling --example synthetic

cases=()
for n in 1 10 100; do
  "$gen" --periods "$n" --out "$work/growing-$n/inputs" 2>/dev/null
  "$gen" --periods "$n" --window-years 10 --out "$work/window-$n/inputs" 2>/dev/null
  cases+=("growing-$n" "window-$n")
done
names=(example example-2025-I "${cases[@]}")

# The arguments of one build of `name`, writing into `out`.
build_args() {
  local name=$1 out=$2
  case $name in
    example) echo "build --output $out" ;;
    example-2025-I) echo "build 2025-I --output $out" ;;
    *) echo "--inputs $work/$name/inputs build --output $out" ;;
  esac
}

# Mean ± σ in ms of each build, from hyperfine's CSV export.
time_all() {
  local base=$1 csv=$2 cmds=()
  for name in "${names[@]}"; do
    cmds+=(-n "$name" "$bin $(build_args "$name" "$base/$name/output")")
  done
  hyperfine -N --warmup 2 --runs "$runs" --export-csv "$csv" "${cmds[@]}" >/dev/null 2>&1
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "before: $(uptime)"
time_all "$work" "$work/disk.csv"
if [[ -d /dev/shm ]]; then
  time_all "$shm" "$work/shm.csv"
  rm -rf "$shm"
fi
echo "after:  $(uptime)"

ms() { # name csv → "mean ± σ ms"
  [[ -f $2 ]] || { echo "-"; return; }
  awk -F, -v n="$1" '$1 == n { printf "%.1f ± %.1f ms", $2 * 1000, $3 * 1000 }' "$2"
}

echo
header="| build | wall, output on disk | wall, output in memory (tmpfs) | peak memory | output |"
rule="| --- | ---: | ---: | ---: | ---: |"
if [[ ${INSTRUCTIONS:-0} == 1 ]]; then
  header="$header instructions |"
  rule="$rule ---: |"
fi
echo "$header"
echo "$rule"
for name in "${names[@]}"; do
  out="$work/$name/output"
  # shellcheck disable=SC2046  # the arguments are meant to split
  kb=$( { /usr/bin/time -f '%M' "$bin" $(build_args "$name" "$out") 2>&1 >/dev/null; } | tail -1)
  row="| $name | $(ms "$name" "$work/disk.csv") | $(ms "$name" "$work/shm.csv") | $((kb / 1024)) MB | $(du -sh "$out" | cut -f1) |"
  if [[ ${INSTRUCTIONS:-0} == 1 ]]; then
    # shellcheck disable=SC2046
    refs=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null \
      "$bin" $(build_args "$name" "$out") 2>&1 | sed -n 's/.*refs: *//p')
    row="$row $refs |"
  fi
  echo "$row"
done
echo
echo "(inputs and outputs in $work)"
