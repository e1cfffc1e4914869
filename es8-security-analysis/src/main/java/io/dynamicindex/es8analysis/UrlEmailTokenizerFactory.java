package io.dynamicindex.es8analysis;

import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;

/**
 * Tokenizer {@code uax_url_email}: the standard tokenizer, except that URLs and e-mail addresses stay one token each
 * (longer tokens than {@code max_token_length} are split at that length).
 */
final class UrlEmailTokenizerFactory extends AbstractTokenizerFactory {

    private final int maxTokenLength;

    UrlEmailTokenizerFactory(IndexSettings index, Environment environment, String name, Settings settings) {
        super(index, settings, name);
        this.maxTokenLength = settings.getAsInt("max_token_length", StandardAnalyzer.DEFAULT_MAX_TOKEN_LENGTH);
    }

    @Override
    public Tokenizer create() {
        UAX29URLEmailTokenizer tokenizer = new UAX29URLEmailTokenizer();
        tokenizer.setMaxTokenLength(maxTokenLength);
        return tokenizer;
    }
}
