#!/usr/bin/env bash
# The project's whole test run: Java (unit, UI under Monocle, architecture; `package` runs the tests
# and builds the jar), the Python model side, and the demo bundle's figures reproduced end to end
# through the jar's predict + eval.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
mvn -B -ntp package
# the desktop jar and what the installers ship (target/lib) carry no Spark: only the job jar does
if ls target/lib | grep -E '^(spark-|scala-|hadoop-|parquet-)'; then
  echo "run-tests: Spark jars in target/lib (they must stay in the Spark job jar only)" >&2; exit 1
fi
if unzip -l target/ovavss-studio.jar | grep -q 'ovavss/studio/spark/'; then
  echo "run-tests: the Spark job's classes are in the desktop jar" >&2; exit 1
fi
/usr/bin/python3 -m pytest -q models/tests
bash packaging/check-demo-metrics.sh
# the .deb built from this jar, installed and used as a user would (as root only; skipped otherwise)
bash packaging/build-installers.sh
bash packaging/test-installers.sh
