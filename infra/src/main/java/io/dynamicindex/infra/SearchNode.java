package io.dynamicindex.infra;

/** A search engine node this JVM started: where it answers, and how to stop it gently or at once. */
public interface SearchNode extends AutoCloseable {

    /** The node's HTTP base address, such as http://127.0.0.1:9250. */
    String url();

    /** The process id of the engine's server JVM (for CPU accounting), when known. */
    java.util.OptionalLong serverPid();

    /** Kills the node at once, as a crash would. */
    void kill();

    /** Stops the node, waiting a bounded time before forcing. */
    @Override
    void close();
}
