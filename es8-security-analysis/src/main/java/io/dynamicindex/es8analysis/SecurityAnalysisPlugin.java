package io.dynamicindex.es8analysis;

import java.util.Map;

import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

/**
 * Registers what the {@code .security} index's settings ask for (analyzer {@code email}: tokenizer
 * {@code uax_url_email}, filters {@code pattern_capture}, {@code lowercase} and {@code unique}) and Elastic's
 * integ-test distribution lacks: it ships no analysis-common module, so without this plugin the node fails to create
 * the index ("Unknown filter type [pattern_capture]") and cannot store API keys. {@code lowercase} is built into the
 * server. The names and options are those of analysis-common, so a node never gets both.
 */
public final class SecurityAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
                "pattern_capture", AnalysisPlugin.requiresAnalysisSettings(PatternCaptureFilterFactory::new),
                "unique", UniqueFilterFactory::new);
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of("uax_url_email", UrlEmailTokenizerFactory::new);
    }
}
