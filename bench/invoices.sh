#!/usr/bin/env bash
# Invoicing benchmark (issue 5): an invoice run for 1,000 billing profiles over a 20-million-row lake month, timed
# against a bare DuckDB GROUP BY of the same Parquet file in the same process. Target: at most 20 s and at most 3x the
# bare aggregation.
#
# Two JVMs: the first writes the lake month (the lake's normalised schema, straight from DuckDB), the second starts
# OpenPayer on an in-memory H2 database, sets up a distributor, its resellers and their customers (one billing
# profile and two AWS accounts each, price books with published rules, contracts), registers the file as a payer's
# partition, then times bare DuckDB, the lake scan, each seller's run and every seller in one run, and checks every
# invoice against an independent computation from the file. Prints a table; fails when a check fails.
#
# Run from the project root:  bench/invoices.sh
# BENCH_ROWS (default 20000000) lake rows; BENCH_RESELLERS (10) x BENCH_CUSTOMERS (100 per reseller) billing
# profiles, with 2 accounts each plus 5 % unassigned accounts; BENCH_MONTH (default: last month); work files go to
# BENCH_DIR (default target/bench) and are removed unless BENCH_KEEP=1.
set -euo pipefail

cd "$(dirname "$0")/.."
ROWS=${BENCH_ROWS:-20000000}
RESELLERS=${BENCH_RESELLERS:-10}
CUSTOMERS=${BENCH_CUSTOMERS:-100}
MONTH=${BENCH_MONTH:-$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m)}
WORK=${BENCH_DIR:-target/bench}
ASSIGNED=$((RESELLERS * CUSTOMERS * 2))
UNASSIGNED=$(((ASSIGNED + 19) / 20))

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

echo "bench: compiling (mvn test-compile) with $JAVA" >&2
mkdir -p "$WORK"
mvn -q -B test-compile
mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/classpath.txt" >/dev/null
CP="target/classes:target/test-classes:$(cat "$WORK/classpath.txt")"
JVM=("$JAVA" --enable-native-access=ALL-UNNAMED -Djava.io.tmpdir="$WORK" -cp "$CP")
FILE="$WORK/invoices-lake/month.parquet"
LOG="$WORK/invoices-run.log"
cleanup() { rm -rf "$WORK"/openpayer-test-data*; [[ "${BENCH_KEEP:-0}" == 1 ]] || rm -rf "$WORK/invoices-lake"; }
trap cleanup EXIT

peak_rss() { awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$1"; }

echo "bench: writing $ROWS lake rows for $MONTH ($ASSIGNED accounts billed, $UNASSIGNED not) ..." >&2
out=$( { /usr/bin/time -v "${JVM[@]}" dev.openpayer.invoicing.InvoiceBench generate "$FILE" "$ROWS" "$ASSIGNED" "$UNASSIGNED" "$MONTH" \
  2>"$WORK/time-generate.log" || true; } | tail -1)
gen_secs=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$out")
[[ -n "$gen_secs" ]] || { echo "bench: generating the lake month failed:" >&2; cat "$WORK/time-generate.log" >&2; exit 1; }
echo "bench: $(sed -n 's/.*rows=\([0-9]*\).*/\1/p' <<<"$out") rows ($(du -m "$FILE" | cut -f1) MB of Parquet) written in ${gen_secs}s" >&2

echo "bench: starting OpenPayer, setting up $((RESELLERS * CUSTOMERS)) billing profiles and running ..." >&2
status=0
/usr/bin/time -v "${JVM[@]}" dev.openpayer.invoicing.InvoiceBench run "$FILE" "$MONTH" "$RESELLERS" "$CUSTOMERS" >"$LOG" 2>"$WORK/time-run.log" || status=$?
grep -E '^(setup:|info:|check|warning:)' "$LOG" >&2 || true
if [[ $status -ne 0 ]] || ! grep -q '^result name=rerun' "$LOG"; then
  echo "bench: the run failed (exit $status):" >&2
  tail -50 "$LOG" >&2
  tail -20 "$WORK/time-run.log" >&2
  exit 1
fi
rss=$(peak_rss "$WORK/time-run.log")

echo
awk -v rss="$rss" -v resellers="$RESELLERS" -v customers="$CUSTOMERS" '
  /^result / {
    for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    name = v["name"]; secs[name] = v["seconds"]; cpu[name] = v["cpu"]; rows[name] = v["rows"]; inv[name] = v["invoices"]; order[++n] = name
  }
  END {
    label["bare"] = "bare DuckDB: GROUP BY account, service (best of 3)"
    label["same"] = "bare DuckDB: the same GROUP BY as the run (9 columns, 4 sums; best of 3)"
    label["scan"] = "lake scan of a run (LakeCosts.scan, all billed accounts)"
    label["distributor"] = "run: distributor (" resellers " wholesale invoices)"
    label["reseller"] = "run: one reseller (" customers " invoices), mean of " resellers
    label["reseller-max"] = "run: one reseller, slowest"
    label["sellers"] = "runs: " (resellers + 1) " sellers one at a time"
    label["all"] = "run: all " (resellers + 1) " sellers, one shared scan"
    label["rerun"] = "restatement: all sellers again, drafts in place"
    printf "%-64s %11s %9s %8s %8s %8s %9s\n", "step", "lake rows", "seconds", "cpu s", "x bare", "x same", "invoices"
    for (k = 1; k <= n; k++) {
      s = order[k]
      shown = s == "rerun" ? inv[s] " same" : (s == "bare" || s == "same" || s == "scan" ? "-" : inv[s])
      printf "%-64s %11d %9.2f %8.2f %7.1fx %7.1fx %9s\n", label[s], rows[s], secs[s], cpu[s], secs[s] / secs["bare"], secs[s] / secs["same"], shown
    }
    printf "\npeak RSS of the run JVM (OpenPayer, in-memory H2, DuckDB; setup and checks included): %d MB\n", rss
    printf "target (at most 20 s and at most 3x the bare aggregation), all sellers in one run: %.2f s; %.1fx the run GROUP BY -> %s; %.1fx GROUP BY account, service -> %s\n",
      secs["all"], secs["all"] / secs["same"], (secs["all"] <= 20 && secs["all"] / secs["same"] <= 3) ? "met" : "not met",
      secs["all"] / secs["bare"], (secs["all"] <= 20 && secs["all"] / secs["bare"] <= 3) ? "met" : "not met"
    printf "                                                        one reseller run: %.2f s; %.1fx the run GROUP BY -> %s; %.1fx GROUP BY account, service -> %s\n",
      secs["reseller"], secs["reseller"] / secs["same"], (secs["reseller"] <= 20 && secs["reseller"] / secs["same"] <= 3) ? "met" : "not met",
      secs["reseller"] / secs["bare"], (secs["reseller"] <= 20 && secs["reseller"] / secs["bare"] <= 3) ? "met" : "not met"
  }' "$LOG"
echo
echo "Lake rows: rows of the month each step read (a run reads the whole month whatever it bills). cpu s: process CPU time (all threads)."
echo "Checks: every invoice (cost basis, subtotal, tax, total, number of lines) equals its computation from the Parquet file, and"
echo "the cost basis of the retail and of the wholesale invoices each add up to the billed_cost of the billed accounts exactly."
if grep -q '^check .*ok=false' "$LOG" || [[ $(grep -c '^check .*ok=true' "$LOG") -ne 3 ]]; then
  echo "bench: a check failed (see the check lines above)" >&2
  exit 1
fi
