package com.returnbridge.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.returnbridge.bridge.LoopReturn;
import com.returnbridge.vendor.VendorException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** LoopReturnsReader on its own, over HTTP: the list in both its shapes, Return Details and notes. */
class LoopReturnsReaderTest {

    private static final Instant FROM = Instant.parse("2026-11-30T10:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-30T11:00:00Z");

    private final LoopTestKit kit = new LoopTestKit();
    private final LoopReturnsReader reader = new LoopReturnsReader(kit.http);

    @AfterEach
    void close() {
        kit.close();
    }

    private static String entry(String id, String state) {
        return "{\"id\":\"" + id + "\",\"state\":\"" + state + "\",\"order_name\":\"#1001\",\"line_items\":"
                + "[{\"sku\":\"SKU-1\",\"return_reason\":\"Too small\"}]}";
    }

    private List<LoopReturn> updated() {
        List<LoopReturn> out = new ArrayList<>();
        reader.updatedBetween(kit.connection, FROM, TO, out::add);
        return out;
    }

    @Test
    void aBareArrayIsOneWholePagePerStateAsked() {
        kit.loop.answer(200, "[" + entry("201", "open") + "]")
                .answer(200, "[" + entry("202", "cancelled") + "]")
                .answer(200, "[]");

        List<LoopReturn> returns = updated();

        assertThat(returns).extracting(LoopReturn::id).containsExactly("201", "202");
        assertThat(returns.get(0).units()).extracting(LoopReturn.Unit::sku).containsExactly("SKU-1");
        assertThat(kit.loop.requests()).hasSize(3).allMatch(r -> r.path().equals("/warehouse/return/list"));
        assertThat(kit.loop.requests().get(0).query()).contains("from=2026-11-30%2010:00:00")
                .contains("filter=updated_at").contains("paginate=true").doesNotContain("state=");
        assertThat(kit.loop.requests().get(1).query()).contains("state=cancelled");
        assertThat(kit.loop.requests().get(2).query()).contains("state=review");
    }

    @Test
    void aPaginatedListIsFollowedByItsNextPageUrl() {
        String next = kit.loop.baseUrl() + "/warehouse/return/list?cursor=abc";
        kit.loop.answer(200, "{\"returns\":[" + entry("301", "open") + "],\"nextPageUrl\":\"" + next + "\"}")
                .answer(200, "{\"returns\":[" + entry("302", "closed") + "],\"nextPageUrl\":null}")
                .answer(200, "{\"returns\":[],\"nextPageUrl\":\"\"}")
                .answer(200, "{\"returns\":[" + entry("303", "review") + "]}");

        List<LoopReturn> returns = updated();

        assertThat(returns).extracting(LoopReturn::id).containsExactly("301", "302", "303");
        assertThat(kit.loop.requests()).hasSize(4);
        assertThat(kit.loop.requests().get(1).query()).isEqualTo("cursor=abc");
    }

    @Test
    void returnDetailsGiveTheStateAndAnUnknownReturnNone() {
        kit.loop.answer(200, "{\"id\":\"401\",\"state\":\"review\"}").answer(404, "{\"message\":\"Not found\"}");

        assertThat(reader.state(kit.connection, "401")).contains("review");
        assertThat(reader.state(kit.connection, "402")).isEmpty();
        assertThat(kit.loop.requests().get(0).path()).isEqualTo("/warehouse/return/details");
        assertThat(kit.loop.requests().get(0).query()).isEqualTo("return_id=401");
    }

    @Test
    void notesAreReadAndA422MeansNone() {
        kit.loop.answer(200, "{\"notes\":[{\"content\":\"first\"},{\"content\":\"second\"}]}")
                .answer(422, "{\"message\":\"No notes\"}");

        assertThat(reader.notes(kit.connection, "501")).containsExactly("first", "second");
        assertThat(reader.notes(kit.connection, "502")).isEmpty();
        assertThat(kit.loop.requests().get(0).path()).isEqualTo("/warehouse/return/501/notes");
    }

    @Test
    void aReadThatFailsIsTransientAndNeverUncertain() {
        kit.loop.answer(502, "bad gateway").hang();

        VendorException serverError = catchThrowableOfType(VendorException.class,
                () -> reader.state(kit.connection, "601"));
        VendorException noAnswer = catchThrowableOfType(VendorException.class,
                () -> reader.state(kit.connection, "601"));

        assertThat(serverError.kind()).isEqualTo(VendorException.Kind.TRANSIENT);
        assertThat(serverError.isUncertain()).isFalse();
        assertThat(noAnswer.kind()).isEqualTo(VendorException.Kind.TRANSIENT);
        assertThat(noAnswer.isUncertain()).isFalse();
    }

    @Test
    void aBadRequestIsARefusalWithLoopsMessage() {
        kit.loop.answer(400, "{\"message\":\"The from date is invalid\"}");

        VendorException e = catchThrowableOfType(VendorException.class, this::updated);

        assertThat(e.kind()).isEqualTo(VendorException.Kind.PERMANENT);
        assertThat(e.getMessage()).contains("HTTP 400").contains("The from date is invalid");
    }
}
