package com.returnbridge.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.bridge.LoopEvent;
import com.returnbridge.bridge.LoopReturn;
import com.returnbridge.bridge.StoredLoopReturn;
import com.returnbridge.loop.LoopWebhookReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** A delivery recorded for a backfilled return replays as the event it made, in both of the bodies it has had. */
class DispatchTest {

    private final Dispatch dispatch = new Dispatch(new LoopWebhookReader(JsonMapper.builder().build()), null, null,
            null, null);

    private static Deliveries.Delivery delivery(String key, String body) {
        return new Deliveries.Delivery(1, "c", "LOOP", key, "return/return.created", "77", null, null, body,
                "ACCEPTED", 0);
    }

    @Test
    void aReadBackReturnInItsStoredFormReplaysAsTheSameEvent() {
        LoopReturn found = new LoopReturn("77", "open", null, "#77", "9", "a@example.com", null,
                List.of(new LoopReturn.Unit("SKU", "Too big", "li")), null);
        String body = StoredLoopReturn.write(found);
        LoopEvent event = dispatch.readStoredLoop(delivery("abc:backfill:77:open", body),
                body.getBytes(StandardCharsets.UTF_8));
        assertThat(event).isEqualTo(Dispatch.readBackEvent(found));
        assertThat(event.trigger()).isEqualTo("return.created");
        assertThat(event.loopReturn()).isEqualTo(found);
    }

    @Test
    void anOlderBackfillBodyInTheWebhooksShapeIsReadByTheWebhookReader() {
        String body = "{\"topic\":\"return\",\"trigger\":\"return.updated\",\"id\":\"77\",\"state\":\"closed\","
                + "\"order_name\":\"#77\",\"line_items\":[{\"sku\":\"SKU\"}]}";
        LoopEvent event = dispatch.readStoredLoop(delivery("abc:backfill:77:closed", body),
                body.getBytes(StandardCharsets.UTF_8));
        assertThat(event.topic()).isEqualTo(LoopEvent.Topic.RETURN);
        assertThat(event.trigger()).isEqualTo("return.updated");
        assertThat(event.loopReturn().state()).isEqualTo("closed");
    }
}
