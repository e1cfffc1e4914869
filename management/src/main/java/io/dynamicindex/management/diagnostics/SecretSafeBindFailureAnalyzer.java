package io.dynamicindex.management.diagnostics;

import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.validation.FieldError;

/**
 * Reports a configuration that does not bind (a misspelled key, a value of the wrong type, a failed constraint) by
 * property name, origin and reason, without the value that Spring Boot's own analyzers print: a key pasted into the
 * wrong property, a password or a token must never reach a startup error. A misspelled key is reported with the
 * known key nearest to it. Runs before Boot's analyzers.
 */
public final class SecretSafeBindFailureAnalyzer extends AbstractFailureAnalyzer<BindException> implements Ordered {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
        String description = "Binding to target " + cause.getTarget().getType() + " failed:\n\n"
                + "    Property: " + cause.getName() + "\n"
                + "    Origin: " + origin(cause.getProperty()) + "\n"
                + "    Reason: " + reason(cause) + "\n\n(values are never shown: they may be secrets)";
        return new FailureAnalysis(description, "Correct the property named above in the configuration it comes from.",
                cause);
    }

    private static String reason(BindException failure) {
        Throwable cause = failure.getCause();
        if (cause instanceof UnboundConfigurationPropertiesException unbound) {
            return "no such setting (misspelled?): " + unbound.getUnboundProperties().stream()
                    .map(property -> property.getName() + " from " + origin(property) + nearest(failure, property))
                    .collect(Collectors.joining(", "));
        }
        if (cause instanceof BindValidationException invalid) {
            return invalid.getValidationErrors().getAllErrors().stream()
                    .map(error -> (error instanceof FieldError field ? field.getField() + " " : "")
                            + error.getDefaultMessage())
                    .collect(Collectors.joining("; "));
        }
        return cause == null ? "not bindable" : "the value cannot be used here (" + cause.getClass().getSimpleName()
                + ")";
    }

    /** The known key nearest to the unknown one, read from the type being bound. */
    private static String nearest(BindException failure, ConfigurationProperty property) {
        Class<?> type = failure.getTarget().getType().resolve();
        return type == null ? "" : NearestKey.of(property.getName().toString(), failure.getName().toString(), type)
                .map(known -> " (did you mean " + known + "?)").orElse("");
    }

    private static String origin(ConfigurationProperty property) {
        return property == null || property.getOrigin() == null ? "unknown" : property.getOrigin().toString();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
