package io.dynamicindex.outbox.relay;

import java.sql.SQLException;

import org.springframework.amqp.AmqpException;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The reason a failed step shows in the relay's status: which service failed, {@code PostgreSQL: } or
 * {@code RabbitMQ: }, and the innermost message, which is the driver's own words (connection refused, I/O error,
 * timeout, nack) rather than Spring's wrapper ("Could not open JDBC Connection for transaction"). When a batch's
 * rollback failed after the batch itself failed, as when PostgreSQL goes away mid-batch, the batch's failure is the
 * reason, not the rollback's ("JDBC rollback failed").
 */
final class FailureReason {

    private FailureReason() {
    }

    static String of(RuntimeException e) {
        Throwable failure = e instanceof TransactionSystemException rollback && rollback.getApplicationException()
                != null ? rollback.getApplicationException() : e;
        if (failure instanceof PublishFailedException) {
            return "RabbitMQ: " + failure.getMessage();
        }
        if (caused(failure, AmqpException.class)) {
            return "RabbitMQ: " + innermost(failure);
        }
        if (caused(failure, DataAccessException.class) || caused(failure, TransactionException.class)
                || caused(failure, SQLException.class)) {
            return "PostgreSQL: " + innermost(failure);
        }
        return failure.getMessage();
    }

    private static boolean caused(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** The message of the innermost cause that has one (a closed socket's EOFException has none). */
    private static String innermost(Throwable failure) {
        String message = failure.getClass().getSimpleName();
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause.getMessage() != null) {
                message = cause.getMessage();
            }
        }
        return message;
    }
}
