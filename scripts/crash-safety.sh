#!/usr/bin/env bash
# Crash safety on both stores: appeals at load, the server SIGKILLed three times mid-load and restarted,
# every unanswered request retried with its idempotency key, everything read back. Prints one line of
# figures per store (lost and duplicates must be 0). PostgreSQL: OTKLIK_TEST_POSTGRES (an admin
# connection string), default the role .ci/run creates on the local server.
set -uo pipefail
cd "$(dirname "$0")/.."
export OTKLIK_ARTIFACTS="${OTKLIK_ARTIFACTS:-$(mktemp -d)}"
pg="${OTKLIK_TEST_POSTGRES:-Host=127.0.0.1;Database=postgres;Username=otklik;Password=otklik}"
dotnet build tests/Otklik.E2E -c Release -v q >/dev/null || exit 1
status=0
OTKLIK_TEST_POSTGRES= dotnet test tests/Otklik.E2E -c Release --no-build --filter "FullyQualifiedName~CrashSafety" >/dev/null || status=1
OTKLIK_TEST_POSTGRES="$pg" dotnet test tests/Otklik.E2E -c Release --no-build --filter "FullyQualifiedName~CrashSafety" >/dev/null || status=1
for store in sqlite postgresql; do
  cat "$OTKLIK_ARTIFACTS/crash-safety-$store.txt" 2>/dev/null || { echo "store=$store: no figures (the run failed before reading back)"; status=1; }
done
exit "$status"
