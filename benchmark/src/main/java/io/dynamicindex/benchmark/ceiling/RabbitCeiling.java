package io.dynamicindex.benchmark.ceiling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.dynamicindex.benchmark.report.Ceiling;
import io.dynamicindex.infra.RabbitEndpoint;
import io.dynamicindex.infra.TestNames;

/**
 * RabbitMQ's one-hop ceiling, measured by com.rabbitmq:perf-test: 1 producer and 1 consumer, 400-byte persistent
 * messages, publisher confirms (1,000 outstanding), manual ack with qos 500, one queue. perf-test calls
 * System.exit, so it runs in a child JVM from the harness's classpath file; its output goes to a log file and is
 * parsed afterwards. The figure is the mean of the per-second received rates after the warm-up seconds.
 */
public final class RabbitCeiling {

    private static final Pattern SECOND = Pattern.compile("time (\\d+\\.\\d+) s, sent: .*?received: (\\d+) msg/s");
    private static final Pattern AVERAGE = Pattern.compile("(sending|receiving) rate avg: (\\d+) msg/s");

    private final RabbitEndpoint rabbit;
    private final Path classpathFile;
    private final Path log;

    public RabbitCeiling(RabbitEndpoint rabbit, Path classpathFile, Path log) {
        this.rabbit = rabbit;
        this.classpathFile = classpathFile;
        this.log = log;
    }

    public Ceiling measure(int seconds, int warmupSeconds) throws IOException, InterruptedException {
        List<String> command = command(seconds);
        Process perfTest = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!perfTest.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
            perfTest.destroyForcibly();
            throw new IllegalStateException("perf-test did not finish; see " + log);
        }
        return parse(Files.readAllLines(log, StandardCharsets.UTF_8), warmupSeconds, seconds);
    }

    private List<String> command(int seconds) {
        String uri = "amqp://" + rabbit.username() + ":" + rabbit.password() + "@" + rabbit.host() + ":"
                + rabbit.port();
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", classpath(), "com.rabbitmq.perf.PerfTest", "-h", uri, "-x", "1", "-y", "1", "-s", "400",
                "-f", "persistent", "-c", "1000", "-q", "500", "-z", String.valueOf(seconds),
                "-u", TestNames.unique("perf_test"), "-ad", "true");
    }

    private String classpath() {
        try {
            return Files.readString(classpathFile).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(classpathFile + " is missing: build the benchmark module first", e);
        }
    }

    private Ceiling parse(List<String> lines, int warmupSeconds, int seconds) {
        List<Double> rates = new ArrayList<>();
        Map<String, Object> details = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher second = SECOND.matcher(line);
            if (second.find() && Double.parseDouble(second.group(1)) > warmupSeconds + 0.5) {
                rates.add(Double.parseDouble(second.group(2)));
            }
            Matcher average = AVERAGE.matcher(line);
            if (average.find()) {
                details.put("perfTest" + (average.group(1).equals("sending") ? "Sending" : "Receiving") + "Avg",
                        Double.parseDouble(average.group(2)));
            }
        }
        if (rates.isEmpty()) {
            throw new IllegalStateException("perf-test printed no per-second rates; see " + log);
        }
        double mean = rates.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        details.put("perSecondReceived", rates);
        details.put("log", log.toString());
        return new Ceiling("rabbitmq-one-hop", "perf-test: 1 producer, 1 consumer, 400 B persistent, confirms "
                + "(1000 outstanding), manual ack, qos 500; mean of seconds " + (warmupSeconds + 1) + "-" + seconds,
                mean, details);
    }
}
