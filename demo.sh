#!/usr/bin/env bash
# Runs the whole pipeline on embedded defaults: builds, starts an embedded broker, an Elasticsearch node,
# PostgreSQL and the three daemons, sends sample traffic and shows progress. Ctrl-C stops everything.
# Options: --seconds N (traffic duration, default 30), --rate N (messages/s, default 2000), --exit (stop after the summary).
set -euo pipefail
cd "$(dirname "$0")"
# The embedded PostgreSQL fallback cannot run as root; say so before building or starting anything.
if [ "$(id -u)" = 0 ] && [ -z "${DI_POSTGRES_URL:-}" ] && ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  echo "[demo] No PostgreSQL answers on 127.0.0.1:5432 and the embedded PostgreSQL cannot run as root (initdb" \
       "refuses): start a PostgreSQL on 127.0.0.1:5432 with a database named test, set DI_POSTGRES_URL (and" \
       "DI_POSTGRES_USER, DI_POSTGRES_PASSWORD) to one, or run the demo as a normal user." >&2
  exit 1
fi
export DEMO_STARTED_AT_MS=$(( $(date +%s%N) / 1000000 ))
echo "[demo] building (mvn -DskipTests install) ..."
mvn -q -B -DskipTests install
mvn -q -B -pl infra dependency:build-classpath -Dmdep.outputFile=target/demo.classpath -Dmdep.includeScope=runtime
exec java -Dlogback.configurationFile=demo-logback.xml -cp "infra/target/classes:$(cat infra/target/demo.classpath)" io.dynamicindex.infra.demo.DemoMain "$@"
