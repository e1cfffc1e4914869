package io.dynamicindex.scheduler.move;

/**
 * A tick that failed part-way. The messages it had moved before the failure stay moved; every message it had taken
 * but not yet seen confirmed went back to the source.
 */
public final class MoveFailedException extends Exception {

    private final int moved;

    MoveFailedException(int moved, Throwable cause) {
        super(describe(cause), cause);
        this.moved = moved;
    }

    /** Changes confirmed and acknowledged before the failure. */
    public int moved() {
        return moved;
    }

    /** The cause chain's messages, since amqp-client puts the broker's reason in a nested exception. */
    private static String describe(Throwable cause) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !text.toString().contains(t.getMessage())) {
                text.append(text.isEmpty() ? "" : "; ").append(t.getMessage());
            }
        }
        return text.isEmpty() ? cause.getClass().getSimpleName() : text.toString();
    }
}
