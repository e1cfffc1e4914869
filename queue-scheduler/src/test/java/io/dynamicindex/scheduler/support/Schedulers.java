package io.dynamicindex.scheduler.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.dynamicindex.infra.DaemonProcess;
import io.dynamicindex.infra.PostgresEndpoint;
import io.dynamicindex.infra.RabbitEndpoint;
import io.dynamicindex.scheduler.QueueSchedulerApplication;
import io.dynamicindex.infra.RunTokens;

/** Starts the scheduler in this JVM or as its own process from the runnable jar, against the test services. */
public final class Schedulers {

    private Schedulers() {
    }

    /** Both brokers on the test broker, and the database in the given schema. */
    public static Map<String, String> infrastructure(RabbitEndpoint rabbit, PostgresEndpoint postgres,
                                                     String schema) {
        Map<String, String> properties = new LinkedHashMap<>(postgres.springProperties(schema));
        properties.putAll(rabbit.schedulerProperties());
        return properties;
    }

    /** One structured route. */
    public static Map<String, String> route(String name, String source, String target, String cron, int count) {
        String prefix = "dynamic-index.scheduler.routes." + name + ".";
        return Map.of(prefix + "source", source, prefix + "target", target, prefix + "cron", cron,
                prefix + "messages-per-tick", String.valueOf(count));
    }

    /** The scheduler in this JVM on a free HTTP port; later maps win. */
    @SafeVarargs
    public static ConfigurableApplicationContext startInJvm(Map<String, String>... properties) {
        List<String> args = new ArrayList<>(List.of("--server.port=0"));
        RunTokens.daemonProperties().forEach((key, value) -> args.add("--" + key + "=" + value));
        merge(properties).forEach((key, value) -> args.add("--" + key + "=" + value));
        return new SpringApplicationBuilder(QueueSchedulerApplication.class).run(args.toArray(String[]::new));
    }

    /** The scheduler as its own JVM from target/*-exec.jar, as in production; later maps win. */
    @SafeVarargs
    public static DaemonProcess startProcess(String logName, Map<String, String>... properties) {
        return DaemonProcess.start(Path.of(".."), "queue-scheduler", merge(properties), 0,
                Path.of("target", "daemons", logName + ".log"));
    }

    @SafeVarargs
    private static Map<String, String> merge(Map<String, String>... maps) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (Map<String, String> map : maps) {
            merged.putAll(map);
        }
        return merged;
    }
}
