package io.dynamicindex.infra;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Copies a node process's output into its log file on a daemon thread of its own, and waits, for at most 3 minutes,
 * until a line says the node is ready. Owns that thread, which ends with the process's output.
 */
final class NodeOutput {

    private NodeOutput() {
    }

    /**
     * Returns once a line of the process's output passes ready.
     *
     * @throws IllegalStateException when the process ends first, or 3 minutes pass; onFailure has run then
     */
    static void awaitReady(Process process, Path logFile, Predicate<String> ready, String name, Runnable onFailure) {
        CompletableFuture<Void> seen = new CompletableFuture<>();
        Thread pump = new Thread(() -> pump(process, logFile, ready, seen), name + "-output");
        pump.setDaemon(true);
        pump.start();
        try {
            seen.get(180, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            onFailure.run();
            throw new IllegalStateException("interrupted while " + name + " started", e);
        } catch (ExecutionException | TimeoutException e) {
            onFailure.run();
            throw new IllegalStateException(name + " did not become ready; see " + logFile, e);
        }
    }

    private static void pump(Process process, Path logFile, Predicate<String> ready, CompletableFuture<Void> seen) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
            String line;
            while ((line = reader.readLine()) != null) {
                log.println(line);
                if (ready.test(line)) {
                    seen.complete(null);
                }
            }
            seen.completeExceptionally(new IllegalStateException("the process exited with " + process.waitFor()));
        } catch (IOException e) {
            seen.completeExceptionally(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            seen.completeExceptionally(e);
        }
    }
}
