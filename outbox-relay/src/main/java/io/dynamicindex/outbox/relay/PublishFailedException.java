package io.dynamicindex.outbox.relay;

/** A batch was not confirmed as a whole: nothing of it counts as published. Some of it may have reached the queue. */
public class PublishFailedException extends RuntimeException {

    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
