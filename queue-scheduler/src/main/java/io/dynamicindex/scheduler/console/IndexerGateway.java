package io.dynamicindex.scheduler.console;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.stream.IntStream;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The console's way to the indexers: {@code /api/v1/indexers} lists them, and {@code /api/v1/indexers/{n}/rest}
 * forwards a request to {@code rest} on the n-th indexer with the caller's own {@code Authorization} and
 * {@code Content-Type}, so that the indexer checks the token's role and audits the same operator. Bounded by the
 * console timeout: an indexer that is down answers 502, one that does not answer in time 504.
 */
@RestController
@RequestMapping("/api/v1/indexers")
class IndexerGateway {

    private static final String PREFIX = "/api/v1/indexers/";

    private final List<URI> indexers;
    private final ConsoleProperties console;
    private final HttpClient http;

    IndexerGateway(ConsoleProperties console) {
        this.console = console;
        this.indexers = console.indexers();
        this.http = HttpClient.newBuilder().connectTimeout(console.timeout()).build();
    }

    /** One configured indexer. */
    record IndexerLink(int id, String url) {
    }

    @GetMapping
    List<IndexerLink> indexers() {
        return IntStream.range(0, indexers.size()).mapToObj(i -> new IndexerLink(i, indexers.get(i).toString()))
                .toList();
    }

    @RequestMapping("/{id}/**")
    ResponseEntity<?> forward(@PathVariable int id, HttpServletRequest request,
                              @RequestBody(required = false) byte[] body) throws InterruptedException {
        if (id < 0 || id >= indexers.size()) {
            return problem(HttpStatus.NOT_FOUND, "no indexer " + id + "; dynamic-index.console.indexers has "
                    + indexers.size());
        }
        try {
            HttpResponse<byte[]> answer = http.send(outbound(indexers.get(id), id, request, body),
                    HttpResponse.BodyHandlers.ofByteArray());
            return ResponseEntity.status(answer.statusCode())
                    .contentType(MediaType.parseMediaType(answer.headers().firstValue("Content-Type")
                            .orElse(MediaType.APPLICATION_JSON_VALUE)))
                    .body(answer.body());
        } catch (HttpTimeoutException e) {
            return problem(HttpStatus.GATEWAY_TIMEOUT, "indexer " + id + " did not answer within "
                    + console.timeout());
        } catch (ConnectException e) {
            return problem(HttpStatus.BAD_GATEWAY, "indexer " + id + " at " + indexers.get(id) + " is unreachable");
        } catch (IOException e) {
            return problem(HttpStatus.BAD_GATEWAY, "indexer " + id + " failed: " + e.getMessage());
        }
    }

    private HttpRequest outbound(URI indexer, int id, HttpServletRequest request, byte[] body) {
        String rest = request.getRequestURI().substring((PREFIX + id).length());
        String query = request.getQueryString() == null ? "" : "?" + request.getQueryString();
        HttpRequest.Builder outbound = HttpRequest.newBuilder(indexer.resolve(rest + query))
                .timeout(console.timeout())
                .method(request.getMethod(), body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        copy(request, outbound, "Authorization");
        copy(request, outbound, "Content-Type");
        return outbound.build();
    }

    private static void copy(HttpServletRequest request, HttpRequest.Builder outbound, String header) {
        String value = request.getHeader(header);
        if (value != null) {
            outbound.header(header, value);
        }
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
