package io.dynamicindex.server.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import io.dynamicindex.common.IndexAllowList;
import io.dynamicindex.server.config.PartnerKeys.Partner;

class ChangeRulesTest {

    private static final Partner SHOP1 = new Partner("shop1", Set.of("Q"),
            IndexAllowList.of(List.of("shop1-*", "shop1")), new byte[32]);
    private static final Partner OPEN = new Partner("open", Set.of("Q"), IndexAllowList.any(), new byte[32]);
    private static final ChangeRules RULES = new ChangeRules(5, 2);

    @Test
    void passesIndicesOnTheListByNameOrPattern() {
        assertThatCode(() -> check(SHOP1, "{\"index\":\"shop1-products\",\"doc\":{\"index\":\"other\"},"
                + "\"prevDelete\":[{\"id\":\"x\",\"index\":\"shop1\"}],\"triggerDelete\":[{\"index\":\"shop1-u\"}]}"))
                .doesNotThrowAnyException();
    }

    @Test
    void passesAChangeWithoutAnIndexField() {
        assertThatCode(() -> check(SHOP1, "{\"sku\":\"A\",\"triggerDelete\":[{\"id\":\"x\"}],\"index\":null}"))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesAnIndexOutsideTheListNamingPositionAndIndex() {
        assertRefused(SHOP1, "{\"index\":\"shop2-products\"}", HttpStatus.FORBIDDEN, "line 3: index 'shop2-products'");
        assertRefused(SHOP1, "{\"index\":\"shop1\",\"prevDelete\":[{\"index\":\"shop1\"},{\"index\":\"shop2\"}]}",
                HttpStatus.FORBIDDEN, "line 3: prevDelete[1].index 'shop2'");
        assertRefused(SHOP1, "{\"triggerDelete\":[{\"index\":\"shop10\"}]}", HttpStatus.FORBIDDEN,
                "triggerDelete[0].index 'shop10'");
        assertRefused(SHOP1, "{\"index\":{\"a\":1}}", HttpStatus.FORBIDDEN, "index '(a JSON START_OBJECT)'");
    }

    @Test
    void letsAPartnerWithoutAListNameAnyIndex() {
        assertThatCode(() -> check(OPEN, "{\"index\":\"shop2\",\"prevDelete\":[{\"index\":\"x\"}]}"))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesAChangeDeeperThanTheLimit() {
        assertThatCode(() -> check(OPEN, "{\"doc\":{\"a\":[[{\"b\":1}]]}}")).doesNotThrowAnyException();
        assertRefused(OPEN, "{\"doc\":{\"a\":[[{\"b\":[]}]]}}", HttpStatus.BAD_REQUEST,
                "line 3 is nested deeper than 5 levels");
        assertRefused(OPEN, "{\"prevDelete\":[{\"x\":[[[1]]]}]}", HttpStatus.BAD_REQUEST, "deeper than 5");
    }

    @Test
    void refusesMoreDeleteTargetsThanTheLimit() {
        assertThatCode(() -> check(OPEN, "{\"prevDelete\":[{},{}],\"triggerDelete\":[{},{}]}"))
                .doesNotThrowAnyException();
        assertRefused(OPEN, "{\"triggerDelete\":[{},{},{}]}", HttpStatus.BAD_REQUEST,
                "line 3: triggerDelete has more than 2 entries");
    }

    private static void assertRefused(Partner partner, String change, HttpStatus status, String detail) {
        assertThatThrownBy(() -> check(partner, change)).isInstanceOfSatisfying(ApiException.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.status()).isEqualTo(status))
                .hasMessageContaining(detail);
    }

    private static void check(Partner partner, String change) {
        RULES.of(partner).check(change.getBytes(StandardCharsets.UTF_8), "line 3");
    }
}
