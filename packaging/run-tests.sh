#!/usr/bin/env bash
# The project's whole test run: Java (unit, UI under Monocle, architecture; `package` runs the tests
# and builds the jar), the Python model side, and the demo bundle's figures reproduced end to end
# through the jar's predict + eval.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
mvn -B -ntp package
/usr/bin/python3 -m pytest -q models/tests
bash packaging/check-demo-metrics.sh
# the .deb built from this jar, installed and used as a user would (as root only; skipped otherwise)
bash packaging/build-installers.sh
bash packaging/test-installers.sh
