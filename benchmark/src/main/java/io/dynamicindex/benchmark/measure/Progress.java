package io.dynamicindex.benchmark.measure;

import java.util.function.Supplier;

/**
 * The one progress line of a run. On a terminal it is rewritten in place; otherwise (CI, a pipe) a line is printed
 * at most every five seconds, so that logs stay short.
 */
public final class Progress {

    private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;

    private final boolean terminal = System.console() != null;
    private final long startNanos = System.nanoTime();
    private String stage = "";
    private long lastPrinted;
    private int lastLength;

    /** Starts a new stage: prints its name on a line of its own. */
    public synchronized void stage(String name) {
        clear();
        stage = name;
        System.out.printf("[benchmark] %5.0f s  %s%n", (System.nanoTime() - startNanos) / 1e9, name);
    }

    /** Shows the current state of the stage. */
    public synchronized void update(String state) {
        String line = "[benchmark]   " + stage + ": " + state;
        if (terminal) {
            System.out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            System.out.flush();
            lastLength = line.length();
        } else if (System.nanoTime() - lastPrinted > PLAIN_INTERVAL_NANOS) {
            System.out.println(line);
            lastPrinted = System.nanoTime();
        }
    }

    /** Prints a finished result of the stage on its own line. */
    public synchronized void done(String result) {
        clear();
        System.out.println("[benchmark]   " + stage + ": " + result);
    }

    /** Shows state() every half second until the returned watch is closed; runs on thread {@code progress}. */
    public Watch watch(Supplier<String> state) {
        Thread thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                update(state.get());
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "progress");
        thread.setDaemon(true);
        thread.start();
        return new Watch(thread);
    }

    /** A running progress watch; closing it stops the updates. */
    public static final class Watch implements AutoCloseable {
        private final Thread thread;

        private Watch(Thread thread) {
            this.thread = thread;
        }

        @Override
        public void close() {
            thread.interrupt();
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void clear() {
        if (terminal && lastLength > 0) {
            System.out.print("\r" + " ".repeat(lastLength) + "\r");
            lastLength = 0;
        }
    }
}
