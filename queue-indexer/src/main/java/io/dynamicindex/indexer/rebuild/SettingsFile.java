package io.dynamicindex.indexer.rebuild;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a settings file given by path; an unreadable one is a bad request that names the file. */
final class SettingsFile {

    private SettingsFile() {
    }

    static String read(String path) {
        try {
            return Files.readString(Path.of(path), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new RebuildRefusal(RebuildRefusal.Kind.BAD_INPUT, "cannot read the settings file " + path + ": "
                    + e);
        }
    }
}
