package com.returnbridge.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.returnbridge.bridge.InvalidPayloadException;
import com.returnbridge.bridge.LoopEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Loop's restock webhook read into the bridge's event, for the restock guard. */
class LoopWebhookReaderRestockTest {

    private final LoopWebhookReader reader = new LoopWebhookReader(JsonMapper.builder().build());

    private LoopEvent read(String body) {
        return reader.read(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void restockRequestedNamesTheReturnByIdOrReturnId() {
        LoopEvent byId = read("{\"topic\":\"restock\",\"trigger\":\"restock.requested\",\"id\":\"48213377\","
                + "\"line_items\":[{\"line_item_id\":1,\"sku\":\"TEE\"}]}");
        assertThat(byId.topic()).isEqualTo(LoopEvent.Topic.RESTOCK);
        assertThat(byId.returnId()).isEqualTo("48213377");
        assertThat(read("{\"topic\":\"restock\",\"trigger\":\"restock.requested\",\"return_id\":48213378}").returnId())
                .isEqualTo("48213378");
    }

    @Test
    void anotherRestockTriggerMeansNothingAndAnIdThatIsNoReturnIdIsUnreadable() {
        assertThat(read("{\"topic\":\"restock\",\"trigger\":\"restock.other\",\"id\":\"1\"}").topic())
                .isEqualTo(LoopEvent.Topic.OTHER);
        assertThatThrownBy(() -> read("{\"topic\":\"restock\",\"trigger\":\"restock.requested\",\"id\":\"abc\"}"))
                .isInstanceOf(InvalidPayloadException.class);
    }
}
