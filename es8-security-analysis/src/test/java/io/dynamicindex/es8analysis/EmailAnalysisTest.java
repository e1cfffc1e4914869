package io.dynamicindex.es8analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.Test;

/** The filters of the .security index's email analyzer, on Lucene alone (the node test starts a real node). */
class EmailAnalysisTest {

    /** The patterns of the .security index's email filter. */
    private static final Pattern[] EMAIL = {
        Pattern.compile("([^@]+)"), Pattern.compile("(\\p{L}+)"), Pattern.compile("(\\d+)"), Pattern.compile("@(.+)")};

    @Test
    void uniquePassesEachTermOnceInTheWholeStream() throws IOException {
        Tokenizer words = new WhitespaceTokenizer();
        words.setReader(new StringReader("a b a c b a"));

        assertThat(terms(new UniqueTokenFilter(words))).containsExactly("a", "b", "c");
    }

    @Test
    void uniqueForgetsWhatItSawWhenReusedForTheNextValue() throws IOException {
        Tokenizer words = new WhitespaceTokenizer();
        UniqueTokenFilter unique = new UniqueTokenFilter(words);
        words.setReader(new StringReader("a b"));
        terms(unique);
        words.setReader(new StringReader("b a"));

        assertThat(terms(unique)).containsExactly("b", "a");
    }

    @Test
    void splitsAnAddressIntoNameDomainAndWordsEachOnce() throws IOException {
        Tokenizer address = new UAX29URLEmailTokenizer();
        address.setReader(new StringReader("John.Smith2@Example.com"));
        TokenStream email = new UniqueTokenFilter(
                new LowerCaseFilter(new PatternCaptureGroupTokenFilter(address, true, EMAIL)));

        assertThat(terms(email)).containsExactlyInAnyOrder("john.smith2@example.com", "john.smith2", "john",
                "smith", "example", "com", "2", "example.com");
    }

    private static List<String> terms(TokenStream stream) throws IOException {
        CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
        List<String> terms = new ArrayList<>();
        stream.reset();
        while (stream.incrementToken()) {
            terms.add(term.toString());
        }
        stream.end();
        stream.close();
        return terms;
    }
}
