package io.dynamicindex.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy in front of an echo server on loopback: what a client sees in each mode. */
class TcpProxyTest {

    private ServerSocket echo;
    private final List<Socket> echoed = new CopyOnWriteArrayList<>();
    private TcpProxy proxy;

    @BeforeEach
    void startEcho() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::echoEach, "echo");
        acceptor.setDaemon(true);
        acceptor.start();
        proxy = new TcpProxy("127.0.0.1", echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void forwardsBothWays() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, 'a')).isEqualTo('a');
        }
    }

    @Test
    void aFrozenConnectionStaysOpenAndSilentEvenWhenTheServerClosesIt() throws Exception {
        try (Socket client = connect()) {
            roundTrip(client, 'a');
            proxy.freeze();
            client.getOutputStream().write('b');
            assertThatThrownBy(() -> client.getInputStream().read()).as("no answer and no end")
                    .isInstanceOf(SocketTimeoutException.class);
            for (Socket server : echoed) {
                server.close();
            }
            assertThatThrownBy(() -> client.getInputStream().read()).as("the server's close does not reach it")
                    .isInstanceOf(SocketTimeoutException.class);

            proxy.restore();
            assertThat(readOrReset(client.getInputStream())).as("restore closes it").isEqualTo(-1);
        }
    }

    @Test
    void aConnectionOpenedWhileFrozenIsAcceptedAndNeverAnswered() throws Exception {
        proxy.freeze();
        try (Socket client = connect()) {
            client.getOutputStream().write('a');
            assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        }
        proxy.restore();
        try (Socket client = connect()) {
            assertThat(roundTrip(client, 'c')).as("forwarding again").isEqualTo('c');
        }
    }

    private Socket connect() throws IOException {
        Socket client = new Socket("127.0.0.1", proxy.port());
        client.setSoTimeout(300);
        return client;
    }

    private static int roundTrip(Socket client, char sent) throws IOException {
        client.getOutputStream().write(sent);
        return client.getInputStream().read();
    }

    /** -1 for an orderly close; a reset counts as closed too. */
    private static int readOrReset(InputStream in) {
        try {
            return in.read();
        } catch (SocketTimeoutException e) {
            return -2;
        } catch (IOException e) {
            return -1;
        }
    }

    private void echoEach() {
        while (!echo.isClosed()) {
            try {
                Socket server = echo.accept();
                echoed.add(server);
                Thread pipe = new Thread(() -> {
                    try (server) {
                        int read;
                        while ((read = server.getInputStream().read()) >= 0) {
                            server.getOutputStream().write(read);
                        }
                    } catch (IOException e) {
                        // closed
                    }
                }, "echo-pipe");
                pipe.setDaemon(true);
                pipe.start();
            } catch (IOException e) {
                return;
            }
        }
    }
}
