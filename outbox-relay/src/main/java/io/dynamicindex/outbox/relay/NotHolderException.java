package io.dynamicindex.outbox.relay;

/** The offset row names another holder: this instance lost the relay and must not publish. */
class NotHolderException extends RuntimeException {

    NotHolderException(String holder) {
        super("instance " + holder + " has taken the relay over");
    }
}
