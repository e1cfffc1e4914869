package io.dynamicindex.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class IndexAllowListTest {

    @Test
    void allowsEveryIndexWhenNoneIsConfigured() {
        assertThat(IndexAllowList.any().allows("anything")).isTrue();
        assertThat(IndexAllowList.of(null).unrestricted()).isTrue();
        assertThat(IndexAllowList.any()).hasToString("any index");
    }

    @Test
    void allowsExactNamesAndAliasesByTheirOwnName() {
        IndexAllowList allowed = IndexAllowList.of(List.of("products", " shop-live "));

        assertThat(allowed.allows("products")).isTrue();
        assertThat(allowed.allows("shop-live")).isTrue();
        assertThat(allowed.allows("products-v2")).isFalse();
        assertThat(allowed.allows("Products")).as("names are case-sensitive, as Elasticsearch's").isFalse();
    }

    @Test
    void matchesStarAndQuestionMarkPatternsOverTheWholeName() {
        IndexAllowList allowed = IndexAllowList.of(List.of("shop1-*", "log-202?", "a.b*"));

        assertThat(allowed.allows("shop1-")).isTrue();
        assertThat(allowed.allows("shop1-products")).isTrue();
        assertThat(allowed.allows("xshop1-products")).isFalse();
        assertThat(allowed.allows("log-2024")).isTrue();
        assertThat(allowed.allows("log-20245")).isFalse();
        assertThat(allowed.allows("a.bc")).isTrue();
        assertThat(allowed.allows("axbc")).as("a dot is literal").isFalse();
    }

    @Test
    void allowsNoIndexWhenTheListIsEmptyOrBlank() {
        assertThat(IndexAllowList.of(List.of()).allows("products")).isFalse();
        assertThat(IndexAllowList.of(List.of(" ")).allows("")).isFalse();
        assertThat(IndexAllowList.of(List.of()).unrestricted()).isFalse();
        assertThat(IndexAllowList.of(List.of("a", "b-*"))).hasToString("[a, b-*]");
    }
}
