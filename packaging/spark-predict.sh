#!/usr/bin/env bash
# Pre-label a dataset with the Spark job on an embedded local Spark (nothing to install):
#
#   bash packaging/spark-predict.sh [--master 'local[*]'] --model <bundle> --input <AVSBench root | manifest.csv> \
#        [--split test] --out <dir> [--vocab names.txt] [--overwrite] [--fail-fast] ...   (--help for all)
#   bash packaging/spark-predict.sh sql "SELECT label, count(*) AS n FROM parquet.\`out/predictions.parquet\` GROUP BY label"
#   bash packaging/spark-predict.sh bench [clips]   # spark_local_clips_per_s vs predict on the same clips
#
# Uses target/ovavss-spark-job.jar (built with `mvn package` when missing) and the Spark jars the
# project declares (`provided`), fetched once through Maven into target/spark-lib/. On a cluster the
# same jar goes to spark-submit (see the README, "Pre-label on Spark").
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-target/ovavss-spark-job.jar}
SPARK_LIB=${SPARK_LIB:-target/spark-lib}
export JAVA_HOME=${JAVA_HOME:-}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

if [ ! -f "$JAR" ]; then
  echo "spark-predict: building $JAR (mvn package)" >&2
  mvn -B -ntp -q package -DskipTests >&2
fi
if [ ! -f "$SPARK_LIB/.complete" ] || [ pom.xml -nt "$SPARK_LIB/.complete" ]; then
  echo "spark-predict: fetching the Spark jars into $SPARK_LIB (once, ~280 MB)" >&2
  rm -rf "$SPARK_LIB"
  mvn -B -ntp -q dependency:copy-dependencies -DincludeScope=provided -DoutputDirectory="$SPARK_LIB" >&2
  touch "$SPARK_LIB/.complete"
fi

# what Spark's own launcher opens on Java 17+ (the same list as the pom's spark.jvm.args)
OPENS=$(sed -n 's:.*<spark.jvm.args>\(.*\)</spark.jvm.args>.*:\1:p' pom.xml)
# shellcheck disable=SC2086
run_java() { "$JAVA" $OPENS -Xmx"${OVAVSS_SPARK_MEMORY:-6g}" -Dai.djl.offline=true -cp "$JAR:$SPARK_LIB/*" "$@"; }

if [ "${1:-}" = bench ]; then
  clips=${2:-50}
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  /usr/bin/python3 models/make_avshapes.py --out "$work/avshapes" --train 0 --val 0 --test "$clips" >/dev/null
  run_java ovavss.studio.spark.SparkBenchmark "$work/avshapes" models/demo-avshapes "${MASTER:-local[2]}" \
    "${ROUNDS:-2}" 2>"$work/bench.log" || { tail -20 "$work/bench.log" >&2; exit 1; }
  exit 0
fi
if [ "${1:-}" = sql ]; then
  shift
  exec "$JAVA" $OPENS -Xmx"${OVAVSS_SPARK_MEMORY:-6g}" -cp "$JAR:$SPARK_LIB/*" ovavss.studio.spark.PredictionsQuery "$@"
fi
exec "$JAVA" $OPENS -Xmx"${OVAVSS_SPARK_MEMORY:-6g}" -Dai.djl.offline=true -cp "$JAR:$SPARK_LIB/*" \
  ovavss.studio.spark.SparkPredictJob "$@"
