package io.dynamicindex.server.api;

import org.springframework.http.HttpStatus;

/** A request the API refuses; becomes a problem answer with this status, title and detail. */
class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String title;

    ApiException(HttpStatus status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    HttpStatus status() {
        return status;
    }

    String title() {
        return title;
    }

    static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Malformed request body", detail);
    }

    static ApiException tooLarge(String detail) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Request too large", detail);
    }
}
