#!/usr/bin/env bash
# Runs the whole pipeline on embedded defaults: builds, starts an embedded broker, an Elasticsearch node,
# PostgreSQL and the three daemons, sends sample traffic and shows progress. Ctrl-C stops everything.
# Options: --seconds N (traffic duration, default 30), --rate N (messages/s, default 2000), --exit (stop after the summary).
set -euo pipefail
cd "$(dirname "$0")"
export DEMO_STARTED_AT_MS=$(( $(date +%s%N) / 1000000 ))
echo "[demo] building (mvn -DskipTests install) ..."
mvn -q -B -DskipTests install
mvn -q -B -pl infra dependency:build-classpath -Dmdep.outputFile=target/demo.classpath -Dmdep.includeScope=runtime
exec java -Dlogback.configurationFile=demo-logback.xml -cp "infra/target/classes:$(cat infra/target/demo.classpath)" io.dynamicindex.infra.demo.DemoMain "$@"
