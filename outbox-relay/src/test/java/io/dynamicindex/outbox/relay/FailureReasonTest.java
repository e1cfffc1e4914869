package io.dynamicindex.outbox.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.net.ConnectException;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

class FailureReasonTest {

    @Test
    void namesPostgresWithTheDriversWords() {
        var failure = new CannotCreateTransactionException("Could not open JDBC Connection for transaction",
                new java.sql.SQLException("Connection to 127.0.0.1:5432 refused."));

        assertThat(FailureReason.of(failure)).isEqualTo("PostgreSQL: Connection to 127.0.0.1:5432 refused.");
    }

    @Test
    void showsTheBatchsFailureNotTheRollbackThatHidIt() {
        var rollback = new TransactionSystemException("JDBC rollback failed");
        rollback.initApplicationException(new DataAccessResourceFailureException("PreparedStatementCallback",
                new java.sql.SQLException("An I/O error occurred while sending to the backend.",
                        new EOFException())));

        assertThat(FailureReason.of(rollback))
                .isEqualTo("PostgreSQL: An I/O error occurred while sending to the backend.");
    }

    @Test
    void namesRabbitMq() {
        assertThat(FailureReason.of(new PublishFailedException("the broker refused (nack) a message", null)))
                .isEqualTo("RabbitMQ: the broker refused (nack) a message");
        assertThat(FailureReason.of(new AmqpConnectException(new ConnectException("Connection refused"))))
                .isEqualTo("RabbitMQ: Connection refused");
    }

    @Test
    void keepsOtherMessagesAsTheyAre() {
        assertThat(FailureReason.of(new IllegalStateException("something else"))).isEqualTo("something else");
    }
}
