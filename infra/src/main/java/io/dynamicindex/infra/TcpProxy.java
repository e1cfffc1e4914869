package io.dynamicindex.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy that a test can cut and restore, to break a real connection mid-stream.
 * While cut, nothing listens on its port (connections are refused) and every open connection is closed. It can also
 * hang (accept connections and never answer, as a stuck process does), freeze (every open connection stays open and
 * goes silent, as a peer behind a network partition does) or answer garbage (fixed bytes, then close).
 */
public final class TcpProxy implements AutoCloseable {

    /** What the proxy does with a new connection; FROZEN also holds what open connections carry. */
    private enum Mode {
        FORWARD, HANG, FROZEN, GARBAGE
    }

    private final int port;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile Mode mode = Mode.FORWARD;
    private volatile byte[] garbage = new byte[0];

    public TcpProxy(String targetHost, int targetPort) {
        this.port = Ports.free();
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        restore();
    }

    public int port() {
        return port;
    }

    /** Closes every connection and stops listening. */
    public synchronized void cut() {
        closeQuietly(server);
        server = null;
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    /** Closes every connection; new ones are accepted and held, but nothing is forwarded or answered. */
    public synchronized void hang() {
        switchTo(Mode.HANG);
    }

    /**
     * Every open connection stays open and forwards nothing more in either direction (what arrives is held, never
     * delivered); new ones are accepted and held without an answer. Unlike {@link #hang()}, a request already sent
     * on a pooled connection gets no answer and no reset, so only the client's own read timeout ends its wait.
     */
    public synchronized void freeze() {
        restore();
        mode = Mode.FROZEN;
    }

    /** Closes every connection; each new one gets these bytes as its answer, then is closed. */
    public synchronized void answerGarbage(byte[] answer) {
        garbage = answer.clone();
        switchTo(Mode.GARBAGE);
    }

    private void switchTo(Mode next) {
        restore();
        mode = next;
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    /** Listens again on the same port, forwarding as at the start; held and frozen connections are closed. */
    public synchronized void restore() {
        if (mode != Mode.FORWARD) {
            sockets.forEach(TcpProxy::closeQuietly); // first, so that no frozen pipe forwards what it held
            sockets.clear();
            mode = Mode.FORWARD;
        }
        if (server != null) {
            return;
        }
        try {
            ServerSocket listening = bindWithin(5_000);
            server = listening;
            Thread acceptor = new Thread(() -> accept(listening), "tcp-proxy-" + port);
            acceptor.setDaemon(true);
            acceptor.start();
        } catch (IOException e) {
            throw new UncheckedIOException("proxy cannot listen on " + port, e);
        }
    }

    /** Binds the port, trying again for a while: right after a cut the kernel may still hold it briefly. */
    private ServerSocket bindWithin(long millis) throws IOException {
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            ServerSocket listening = new ServerSocket();
            listening.setReuseAddress(true);
            try {
                listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return listening;
            } catch (java.net.BindException e) {
                listening.close();
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                if (mode != Mode.FORWARD) {
                    if (register(listening, client)) {
                        answer(client);
                    }
                    continue;
                }
                Socket upstream = new Socket(targetHost, targetPort);
                if (register(listening, client, upstream)) {
                    pipe(client, upstream);
                    pipe(upstream, client);
                }
            } catch (IOException e) {
                // the listening socket was closed by cut(), or the target refused: the client sees a closed socket
            }
        }
    }

    /**
     * Keeps a new connection, unless a cut or a change of mode came between its accept and now (the change closed
     * every connection it knew of, so this one must not live on); then it is closed.
     */
    private synchronized boolean register(ServerSocket listening, Socket... connection) {
        boolean current = server == listening && (connection.length == 1) == (mode != Mode.FORWARD);
        for (Socket socket : connection) {
            if (current) {
                sockets.add(socket);
            } else {
                closeQuietly(socket);
            }
        }
        return current;
    }

    /** Hangs (holds the connection) or writes the garbage and closes, by the mode. */
    private void answer(Socket client) {
        if (mode != Mode.GARBAGE) {
            return;
        }
        Thread thread = new Thread(() -> {
            try (client; OutputStream out = client.getOutputStream()) {
                client.getInputStream().read(new byte[16 * 1024]);
                out.write(garbage);
            } catch (IOException e) {
                // the client went away first
            } finally {
                sockets.remove(client);
            }
        }, "tcp-proxy-garbage-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    private void pipe(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    holdWhileFrozen(from);
                    out.write(buffer, 0, read);
                }
            } catch (IOException e) {
                // either side closed
            } finally {
                holdWhileFrozen(from); // while frozen, one side's close does not reach the other either
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pipe-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    /** Holds what a frozen connection read until {@link #restore()} closes it; the write that follows then fails. */
    private void holdWhileFrozen(Socket from) {
        while (mode == Mode.FROZEN && !from.isClosed()) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        cut();
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
