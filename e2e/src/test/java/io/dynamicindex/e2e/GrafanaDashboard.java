package io.dynamicindex.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Grafana dashboard file as the tests see it: its rows, its panels (those nested in collapsed rows included), their
 * PromQL expressions and the metric names these expressions use. It also reads series names from a Prometheus text
 * exposition, so that a test can hold the dashboard against what a daemon's {@code /actuator/prometheus} serves.
 * Immutable once loaded; it owns no thread or resource.
 */
final class GrafanaDashboard {

    /** Metric names of the daemons' own meters and of Micrometer's JVM, process and system binders. */
    private static final Pattern METRIC = Pattern.compile("\\b(?:dynamicindex|jvm|process|system)_[A-Za-z0-9_:]*");
    /** The series name at the start of a sample line: up to the labels, or to the blank before the value. */
    private static final Pattern SAMPLE = Pattern.compile("^([A-Za-z_:][A-Za-z0-9_:]*)");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One panel that shows data; rows are not panels here. */
    record Panel(String title, String type, String datasourceUid, List<String> expressions) {
    }

    private final String title;
    private final List<String> rowTitles;
    private final List<Panel> panels;
    private final Map<String, String> variables;

    private GrafanaDashboard(String title, List<String> rowTitles, List<Panel> panels, Map<String, String> variables) {
        this.title = title;
        this.rowTitles = List.copyOf(rowTitles);
        this.panels = List.copyOf(panels);
        this.variables = Map.copyOf(variables);
    }

    /** Parses the dashboard JSON; a file that is not JSON fails with Jackson's exception. */
    static GrafanaDashboard load(Path file) {
        JsonNode root = JSON.readTree(file);
        List<String> rows = new ArrayList<>();
        List<Panel> panels = new ArrayList<>();
        collect(root.path("panels"), rows, panels);
        Map<String, String> variables = new LinkedHashMap<>();
        for (JsonNode variable : root.path("templating").path("list")) {
            variables.put(variable.path("name").asString(""), variable.path("type").asString(""));
        }
        return new GrafanaDashboard(root.path("title").asString(""), rows, panels, variables);
    }

    /** Walks the panels in file order; a collapsed row holds its panels itself, an open row is followed by them. */
    private static void collect(JsonNode nodes, List<String> rows, List<Panel> panels) {
        for (JsonNode node : nodes) {
            if ("row".equals(node.path("type").asString(""))) {
                rows.add(node.path("title").asString(""));
            } else {
                List<String> expressions = new ArrayList<>();
                for (JsonNode target : node.path("targets")) {
                    expressions.add(target.path("expr").asString(""));
                }
                panels.add(new Panel(node.path("title").asString(""), node.path("type").asString(""),
                        node.path("datasource").path("uid").asString(""), expressions));
            }
            collect(node.path("panels"), rows, panels);
        }
    }

    String title() {
        return title;
    }

    List<String> rowTitles() {
        return rowTitles;
    }

    /** Every panel but the rows, in file order. */
    List<Panel> panels() {
        return panels;
    }

    /** Template variables by name, each with its type ({@code datasource}, {@code query}, ...). */
    Map<String, String> variables() {
        return variables;
    }

    /** Every {@code targets[].expr} of every panel, in file order. */
    List<String> expressions() {
        return panels.stream().flatMap(panel -> panel.expressions().stream()).toList();
    }

    /**
     * The series names the expressions use, as written ({@code dynamicindex_indexer_bulk_seconds_sum}), for the
     * daemons' meters and Micrometer's JVM, process and system binders.
     */
    Set<String> metricNames() {
        Set<String> names = new TreeSet<>();
        for (String expression : expressions()) {
            Matcher matcher = METRIC.matcher(expression);
            while (matcher.find()) {
                names.add(matcher.group());
            }
        }
        return names;
    }

    /** The series names at the start of the sample lines of a Prometheus text exposition; comments are skipped. */
    static Set<String> exposedNames(String prometheusText) {
        Set<String> names = new TreeSet<>();
        for (String line : prometheusText.split("\\R")) {
            String sample = line.strip();
            if (sample.isEmpty() || sample.startsWith("#")) {
                continue;
            }
            Matcher matcher = SAMPLE.matcher(sample);
            if (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }
}
