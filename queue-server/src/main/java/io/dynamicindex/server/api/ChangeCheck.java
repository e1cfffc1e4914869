package io.dynamicindex.server.api;

/** A check of one change of a request, run by {@link PayloadSplitter} before anything is published. */
@FunctionalInterface
interface ChangeCheck {

    /** Accepts every change. */
    ChangeCheck NONE = (change, position) -> { };

    /**
     * @param change   the exact bytes of one JSON object
     * @param position where it sits in the request, for the partner's developer: {@code array element 3 (byte 120)}
     * @throws ApiException when the change is refused
     */
    void check(byte[] change, String position);
}
