#!/usr/bin/env bash
# The project's whole test run: Java (unit, UI under Monocle, architecture) and the Python model side.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
mvn -B -ntp test
/usr/bin/python3 -m pytest -q models/tests
