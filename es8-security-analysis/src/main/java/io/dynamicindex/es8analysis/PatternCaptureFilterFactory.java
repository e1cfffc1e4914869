package io.dynamicindex.es8analysis;

import java.util.List;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;

/**
 * Filter {@code pattern_capture}: emits every capture group of {@code patterns} as a token at the same position,
 * keeping the original unless {@code preserve_original} is false (the {@code .security} index splits e-mail
 * addresses into name, domain and word parts this way, so that users are found by any of them).
 */
final class PatternCaptureFilterFactory extends AbstractTokenFilterFactory {

    private final Pattern[] patterns;
    private final boolean preserveOriginal;

    PatternCaptureFilterFactory(IndexSettings index, Environment environment, String name, Settings settings) {
        super(name, settings);
        List<String> regexes = settings.getAsList("patterns", null, false);
        if (regexes == null || regexes.isEmpty()) {
            throw new IllegalArgumentException("filter [" + name + "] of type pattern_capture needs [patterns]");
        }
        this.patterns = regexes.stream().map(Pattern::compile).toArray(Pattern[]::new);
        this.preserveOriginal = settings.getAsBoolean("preserve_original", true);
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        return new PatternCaptureGroupTokenFilter(tokenStream, preserveOriginal, patterns);
    }
}
