#!/usr/bin/env bash
# Runs the benchmark harness: RabbitMQ and Elasticsearch ceilings, each daemon alone, then the whole pipeline, all in
# one run on the same generated data. Builds first (mvn -DskipTests install), then runs the harness with the
# benchmark module's runtime classpath. Nothing needs installing by hand beyond a JDK 17+ and Maven.
#   ./benchmark.sh            full run (about 20 minutes); writes BENCHMARKS.md and benchmark/target/benchmark-full.json
#   ./benchmark.sh --short    a few seconds per stage (about 90 s); writes benchmark/target/benchmark-short.json
#   ./benchmark.sh --engine es7      on another search engine (es8 default, opensearch2, es7)
#   ./benchmark.sh --stages indexer   only the ceilings and the listed stages (server,scheduler,indexer,end-to-end,hot-documents,archive,rebuild,outbox)
# More options (--mix, --key-space, --json, --markdown, --es-heap, --set): see BenchmarkOptions.java.
set -euo pipefail
cd "$(dirname "$0")"
echo "[benchmark] building (mvn -DskipTests install) ..."
mvn -q -B -DskipTests install
exec java -Xmx1g -cp "benchmark/target/classes:$(cat benchmark/target/benchmark.classpath)" \
  io.dynamicindex.benchmark.BenchmarkMain "$@"
