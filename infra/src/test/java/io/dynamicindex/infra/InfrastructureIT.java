package io.dynamicindex.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InfrastructureIT {

    /** Says in Maven's output which services this run found or started, before the daemons' tests use them. */
    @BeforeAll
    static void announceServices() {
        RabbitEndpoint rabbit = RabbitService.endpoint();
        System.out.println("[dynamic-index] RabbitMQ for this run: " + rabbit.host() + ":" + rabbit.port() + " ("
                + rabbit.origin() + ")" + (rabbit.isRabbitMq() ? ""
                : "; not RabbitMQ: tests of RabbitMQ-only behaviour are skipped, each with its reason"));
        System.out.println("[dynamic-index] PostgreSQL for this run: " + PostgresService.endpoint().jdbcUrl() + " ("
                + PostgresService.endpoint().origin() + ")");
        System.out.println("[dynamic-index] Elasticsearch for this run: " + ElasticsearchService.endpoint().url()
                + " (" + ElasticsearchService.endpoint().origin() + ")");
    }

    @Test
    void findsABrokerThatConfirmsAndDelivers() throws Exception {
        assertRoundTrip(RabbitService.endpoint());
    }

    @Test
    void embeddedBrokerConfirmsAndDelivers() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(Ports.free())) {
            assertRoundTrip(new RabbitEndpoint("127.0.0.1", broker.port(), "guest", "guest", "embedded Qpid"));
        }
    }

    @Test
    void findsPostgresAndIsolatesASchema() throws Exception {
        PostgresEndpoint postgres = PostgresService.endpoint();
        String schema = TestNames.unique("infra");
        postgres.createSchema(schema);
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE \"" + schema + "\".t (id int)");
            statement.execute("INSERT INTO \"" + schema + "\".t VALUES (1)");
            ResultSet rows = statement.executeQuery("SELECT count(*) FROM \"" + schema + "\".t");
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(1);
        } finally {
            postgres.dropSchema(schema);
        }
    }

    @Test
    void startsARealNodeOfTheSelectedEngine() {
        ElasticsearchEndpoint elasticsearch = ElasticsearchService.endpoint();
        if (System.getenv("DI_ELASTICSEARCH_URL") == null) {
            assertThat(elasticsearch.describe()).isEqualTo(Engine.selected().product());
        }
        HttpResponse<String> health = elasticsearch.call("GET", "/_cluster/health?wait_for_status=green&timeout=30s",
                null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(ElasticsearchService.endpoint()).isSameAs(elasticsearch);
    }

    @Test
    void choosesTheEngineByNameAndNamesTheChoicesOfAWrongOne() {
        assertThat(Engine.of("OpenSearch2", "-Ddi.engine")).isEqualTo(Engine.OPENSEARCH2);
        assertThatThrownBy(() -> Engine.of("es6", "DI_ENGINE"))
                .hasMessage("DI_ENGINE='es6' is not an engine; use one of es8, opensearch2, es7");
    }

    private static void assertRoundTrip(RabbitEndpoint endpoint) throws Exception {
        String queue = TestNames.unique("infra");
        try (com.rabbitmq.client.Connection connection = endpoint.connect();
             Channel channel = connection.createChannel()) {
            channel.queueDeclare(queue, true, false, false, null);
            channel.confirmSelect();
            channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
                    "hello".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);
            GetResponse response = channel.basicGet(queue, false);
            assertThat(new String(response.getBody(), StandardCharsets.UTF_8)).isEqualTo("hello");
            channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
            channel.queueDelete(queue);
        }
    }
}
