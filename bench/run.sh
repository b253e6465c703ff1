#!/usr/bin/env bash
# Cost data ingestion benchmark: generates one legacy CUR month (gzip CSV and Parquet) at two sizes with the
# project's CUR generator, then ingests each with OpenPayer and converts it with bare DuckDB (same files, same
# columns, Parquet out), and prints rows per second of both, their ratio and OpenPayer's peak resident memory.
#
# Run from the project root:  bench/run.sh
# Sizes are numbers of usage accounts in a 30-day month (about 815 rows each): BENCH_ACCOUNTS="2500 5000"
# gives about 2.0 and 4.1 million rows. Work files go to BENCH_DIR (default target/bench) and are removed.
set -euo pipefail

cd "$(dirname "$0")/.."
ACCOUNTS=${BENCH_ACCOUNTS:-"2500 5000"}
DAYS=${BENCH_DAYS:-30}
WORK=${BENCH_DIR:-target/bench}

# A JDK 21 or newer: JAVA_HOME, else the newest under /usr/lib/jvm (the same rule as the build).
java_version() { "$1" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}'; }
JAVA=""
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" && "$(java_version "$JAVA_HOME/bin/java")" -ge 21 ]]; then
  JAVA="$JAVA_HOME/bin/java"
else
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -Vr); do
    if [[ -x "$candidate/bin/java" && "$(java_version "$candidate/bin/java")" -ge 21 ]]; then
      JAVA="$candidate/bin/java"
      export JAVA_HOME="${candidate%/}"
      break
    fi
  done
fi
[[ -n "$JAVA" ]] || { echo "bench: no JDK 21 or newer found (set JAVA_HOME)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "bench: /usr/bin/time is needed to measure peak memory (Debian package 'time')" >&2; exit 1; }

echo "bench: compiling (mvn test-compile) with $JAVA"
mkdir -p "$WORK"
mvn -q -B test-compile
mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/classpath.txt" >/dev/null
CP="target/classes:target/test-classes:$(cat "$WORK/classpath.txt")"
JVM=("$JAVA" --enable-native-access=ALL-UNNAMED -Djava.io.tmpdir="$WORK" -cp "$CP")

run() { # run <step> <args...>: prints "<rows> <seconds> <peak RSS MB>"
  local log="$WORK/time.log" out
  out=$( { /usr/bin/time -v "${JVM[@]}" dev.openpayer.cur.CurBench "$@" 2>"$log" || true; } | tail -1)
  local rows secs rss
  rows=$(sed -n 's/.*rows=\([0-9]*\).*/\1/p' <<<"$out")
  secs=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$out")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
  if [[ -z "$rows" || -z "$secs" ]]; then echo "bench: step $1 failed:" >&2; cat "$log" >&2; exit 1; fi
  echo "$rows $secs $rss"
}

printf '\n%-8s %-8s %10s | %12s %9s | %12s %9s | %6s | %s\n' "size" "format" "rows" "OpenPayer/s" "peak RSS" "DuckDB/s" "peak RSS" "ratio" "seconds (OpenPayer / DuckDB)"
RESULTS=()
for accounts in $ACCOUNTS; do
  dir="$WORK/data-$accounts"
  rm -rf "$dir"
  echo "bench: generating $accounts accounts x $DAYS days ..." >&2
  read -r gen_rows gen_secs gen_rss < <(run generate "$dir" "$accounts" "$DAYS")
  [[ -n "${gen_rows:-}" ]] || exit 1
  echo "bench: $gen_rows rows per format written in ${gen_secs}s" >&2
  for format in csv parquet; do
    read -r op_rows op_secs op_rss < <(run openpayer "$dir/$format" "$dir/openpayer-data")
    [[ -n "${op_rows:-}" ]] || exit 1
    rm -rf "$dir/openpayer-data"
    read -r dk_rows dk_secs dk_rss < <(run duckdb "$dir/$format" "$dir/duckdb-out")
    [[ -n "${dk_rows:-}" ]] || exit 1
    if [[ "$op_rows" != "$dk_rows" ]]; then echo "bench: row counts differ: OpenPayer $op_rows, DuckDB $dk_rows" >&2; exit 1; fi
    line=$(awk -v a="$accounts" -v f="$format" -v r="$op_rows" -v os="$op_secs" -v orss="$op_rss" -v ds="$dk_secs" -v drss="$dk_rss" 'BEGIN {
      ops = r / os; dps = r / ds;
      printf "%-8s %-8s %10d | %12.0f %6d MB | %12.0f %6d MB | %5.2fx | %.1f / %.1f", a " acc", f, r, ops, orss, dps, drss, ops / dps, os, ds }')
    echo "$line"
    RESULTS+=("$line")
  done
  rm -rf "$dir"
done
echo
echo "OpenPayer: discovery, validation (header, full gzip check), staging into the lake schema, atomic switch; peak RSS of its JVM."
echo "DuckDB: one COPY of the same SELECT (same columns) to zstd Parquet, default settings; ratio = OpenPayer rows/s / DuckDB rows/s."
