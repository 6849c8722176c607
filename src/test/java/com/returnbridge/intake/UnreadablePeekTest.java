package com.returnbridge.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.loop.LoopWebhookReader;
import com.returnbridge.shiphero.ShipHeroWebhookReader;
import com.returnbridge.vendor.WebhookPeek;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** What an unreadable body still names, as each vendor's reader finds it; never a throw. */
class UnreadablePeekTest {

    private final JsonMapper json = JsonMapper.builder().build();
    private final Dispatch dispatch = new Dispatch(new LoopWebhookReader(json), new ShipHeroWebhookReader(json),
            null, null, null);

    private WebhookPeek peek(Deliveries.Source source, String body) {
        return dispatch.peek(source, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void loopBodiesNameTopicTriggerAndReturn() {
        assertThat(peek(Deliveries.Source.LOOP, "{\"topic\":\"return\",\"trigger\":\"return.created\",\"id\":7}"))
                .isEqualTo(new WebhookPeek("return/return.created", "7"));
        assertThat(peek(Deliveries.Source.LOOP, "{\"trigger\":\"label.updated\",\"return_id\":\"8\"}"))
                .isEqualTo(new WebhookPeek("?/label.updated", "8"));
    }

    @Test
    void shipHeroBodiesNameTypeAndReturn() {
        assertThat(peek(Deliveries.Source.SHIPHERO, "{\"webhook_type\":\"Return\\nUpdate\",\"return_uuid\":\"R1\"}"))
                .isEqualTo(new WebhookPeek("Return Update", "R1"));
    }

    @Test
    void longValuesAreBoundedAndNonObjectsNameNothing() {
        WebhookPeek peek = peek(Deliveries.Source.SHIPHERO, "{\"webhook_type\":\"" + "t".repeat(150)
                + "\",\"return_uuid\":\"" + "u".repeat(250) + "\"}");
        assertThat(peek.topic()).hasSize(100);
        assertThat(peek.subjectId()).hasSize(200);
        assertThat(peek(Deliveries.Source.LOOP, "[1,2]")).isEqualTo(WebhookPeek.NOTHING);
        assertThat(peek(Deliveries.Source.SHIPHERO, "{not json")).isEqualTo(WebhookPeek.NOTHING);
    }
}
