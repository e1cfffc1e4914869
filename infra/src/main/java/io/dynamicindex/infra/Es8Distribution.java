package io.dynamicindex.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Elastic's Elasticsearch 8 distribution (the integ-test zip from Maven Central: the server with x-pack-core and
 * x-pack-security, no bundled JDK), unpacked once per machine and version into the temporary folder, readable by
 * every user. The build writes the zip's local path into {@code es8-distribution.properties}.
 */
final class Es8Distribution {

    private static final String PROPERTIES = "/es8-distribution.properties";

    private Es8Distribution() {
    }

    /** The unpacked distribution's root, unpacking it first when this machine has not yet. */
    static synchronized Path unpacked() {
        Properties build = buildProperties();
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "dynamic-index-elasticsearch-"
                + build.getProperty("version"));
        if (Files.isDirectory(target)) {
            return target;
        }
        Path zip = Path.of(build.getProperty("zip"));
        try {
            Path staging = Files.createTempDirectory(target.getParent(), target.getFileName() + ".unpacking-");
            unzip(zip, staging);
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
            moveInPlace(staging, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + zip + " into " + target, e);
        }
    }

    /**
     * The jar of the es8-security-analysis plugin, which the build of this module located: a node needs it to create
     * its .security index (see {@link SecuredEs8Node}).
     *
     * @throws IllegalStateException when the build located no jar (the reactor compiled the module, but did not
     *                               package it)
     */
    static Path securityAnalysisPlugin() {
        Path jar = Path.of(buildProperties().getProperty("security-analysis-plugin"));
        if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
            throw new IllegalStateException("the es8-security-analysis plugin is not a jar at " + jar
                    + ": build it with its package phase (mvn verify -pl <module> -am)");
        }
        return jar;
    }

    /** Whether this JVM runs as root, which Elasticsearch refuses to. */
    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Makes user the owner of everything under folder (links themselves, not their targets). */
    static void giveTo(String user, Path folder) {
        try {
            Process chown = new ProcessBuilder("chown", "-R", "-h", user, folder.toString()).inheritIO().start();
            if (!chown.waitFor(1, TimeUnit.MINUTES) || chown.exitValue() != 0) {
                throw new IllegalStateException("chown -R " + user + " " + folder + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Properties buildProperties() {
        Properties properties = new Properties();
        try (InputStream in = Es8Distribution.class.getResourceAsStream(PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException(PROPERTIES + " is missing: build the infra module with Maven");
            }
            properties.load(in);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unpacks the zip's single top folder into target, making the launch scripts in bin/ executable. */
    private static void unzip(Path zip, Path target) throws IOException {
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(archive.entries())) {
                String name = entry.getName().substring(entry.getName().indexOf('/') + 1);
                Path path = target.resolve(name).normalize();
                if (name.isEmpty() || !path.startsWith(target)) {
                    continue;
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    continue;
                }
                Files.createDirectories(path.getParent());
                try (InputStream in = archive.getInputStream(entry)) {
                    Files.copy(in, path);
                }
                if (name.startsWith("bin/")) {
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
    }

    /** Moves staging to target; when another JVM got there first, keeps theirs and drops this copy. */
    private static void moveInPlace(Path staging, Path target) throws IOException {
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            FileTrees.deleteQuietly(staging);
            if (!Files.isDirectory(target)) {
                throw e;
            }
        }
    }
}
