package io.dynamicindex.benchmark.report;

import java.util.ArrayList;
import java.util.List;

/** A table of text cells, rendered padded for the console or as a Markdown table. */
final class TextTable {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String... header) {
        this.header = List.of(header);
    }

    TextTable row(String... cells) {
        rows.add(List.of(cells));
        return this;
    }

    String console() {
        int[] widths = new int[header.size()];
        for (List<String> row : all()) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : all()) {
            for (int i = 0; i < row.size(); i++) {
                out.append(i == 0 ? String.format("%-" + widths[i] + "s", row.get(i))
                        : String.format("  %" + widths[i] + "s", row.get(i)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> out.append("---|"));
        out.append('\n');
        rows.forEach(row -> out.append("| ").append(String.join(" | ", row)).append(" |\n"));
        return out.toString();
    }

    private List<List<String>> all() {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        return all;
    }
}
