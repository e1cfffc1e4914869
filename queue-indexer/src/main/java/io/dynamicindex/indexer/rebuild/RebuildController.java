package io.dynamicindex.indexer.rebuild;

import java.security.Principal;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/rebuilds} on the indexer's management plane: start a rebuild of an alias from the archive (operator),
 * resume an unfinished one (operator), and watch it (viewer). Starting and resuming answer 202 at once with the
 * state; the rebuild runs on a thread {@code rebuild-<alias>}. Refusals: 400 (bad request, unreadable settings file,
 * a mapping Elasticsearch refuses), 404 (the archive knows no such alias, no rebuild recorded), 409 (a rebuild of the
 * alias runs or stands unfinished, the target index exists).
 */
@RestController
@RequestMapping("/api/v1/rebuilds")
class RebuildController {

    private final Rebuilds rebuilds;

    RebuildController(Rebuilds rebuilds) {
        this.rebuilds = rebuilds;
    }

    /**
     * The start request.
     *
     * @param settingsFile a file on the indexer's host holding the create-index body
     * @param settings     the create-index body itself; exactly one of the two
     * @param allowLoss    the first rebuild of a concrete index may drop its documents the archive has no row for
     */
    record Start(String alias, String settingsFile, JsonNode settings, String targetIndex, Boolean replace,
                 Boolean allowLoss) {
    }

    @PostMapping
    ResponseEntity<RebuildView> start(@RequestBody Start start, Principal principal) {
        RebuildRequest request = new RebuildRequest(start.alias(), settingsText(start), start.targetIndex(),
                Boolean.TRUE.equals(start.replace()), Boolean.TRUE.equals(start.allowLoss()), principal.getName());
        return ResponseEntity.accepted().body(rebuilds.start(request));
    }

    @PostMapping("/{alias}/resume")
    ResponseEntity<RebuildView> resume(@PathVariable String alias) {
        return ResponseEntity.accepted().body(rebuilds.resume(alias));
    }

    @GetMapping("/{alias}")
    ResponseEntity<RebuildView> view(@PathVariable String alias) {
        RebuildView view = rebuilds.view(alias);
        return view == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(view);
    }

    private static String settingsText(Start start) {
        boolean inline = start.settings() != null && !start.settings().isNull();
        boolean file = start.settingsFile() != null && !start.settingsFile().isBlank();
        if (inline == file) {
            throw new RebuildRefusal(RebuildRefusal.Kind.BAD_INPUT, "give exactly one of settingsFile (a path on the "
                    + "indexer's host) and settings (the create-index body {\"settings\": ..., \"mappings\": ...})");
        }
        return inline ? start.settings().toString() : SettingsFile.read(start.settingsFile());
    }

    @ExceptionHandler(RebuildRefusal.class)
    ResponseEntity<ProblemDetail> refused(RebuildRefusal refusal) {
        HttpStatus status = HttpStatus.valueOf(refusal.kind().status());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, refusal.getMessage());
        problem.setTitle("Rebuild refused");
        return ResponseEntity.status(status).body(problem);
    }

    @ExceptionHandler(RebuildFailure.class)
    ResponseEntity<ProblemDetail> failed(RebuildFailure failure) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                failure.getMessage());
        problem.setTitle("Rebuild could not begin");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(problem);
    }
}
