package com.returnbridge.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.returnbridge.bridge.InvalidPayloadException;
import com.returnbridge.bridge.LoopEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Loop's "Return processing" webhook: return_id instead of id, a nullable message, read by topic or by its body. */
class LoopWebhookReaderProcessingTest {

    private final LoopWebhookReader reader = new LoopWebhookReader(JsonMapper.builder().build());

    private LoopEvent read(String body) {
        return reader.read(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheDocumentedBodyWithItsTopicAndTrigger() {
        LoopEvent event = read("""
                {"topic":"return.processing","trigger":"return.processing.failed","return_id":48213377,
                 "return_state":"review","message":"Exchange variant out of stock","source":"api"}""");
        assertThat(event.topic()).isEqualTo(LoopEvent.Topic.PROCESSING);
        assertThat(event.returnId()).isEqualTo("48213377");
        assertThat(event.state()).isEqualTo("review");
        assertThat(event.processing().message()).isEqualTo("Exchange variant out of stock");
        assertThat(event.processing().source()).isEqualTo("api");
    }

    @Test
    void aNullMessageAndNoTopicOrTriggerStillReadAsAFailedProcessing() {
        LoopEvent event = read("{\"return_id\":\"7\",\"return_state\":\"open\",\"message\":null,\"source\":null}");
        assertThat(event.topic()).isEqualTo(LoopEvent.Topic.PROCESSING);
        assertThat(event.trigger()).isEqualTo("return.processing.failed");
        assertThat(event.processing().message()).isNull();
    }

    @Test
    void anotherTriggerOfTheTopicIsOfNoInterest() {
        assertThat(read("{\"topic\":\"return.processing\",\"trigger\":\"return.processing.succeeded\","
                + "\"return_id\":7,\"return_state\":\"closed\"}").topic()).isEqualTo(LoopEvent.Topic.OTHER);
    }

    @Test
    void aShapeChangeIsNotReadSilently() {
        assertThatThrownBy(() -> read("{\"topic\":\"return.processing\",\"trigger\":\"return.processing.failed\","
                + "\"return_state\":\"open\"}")).isInstanceOf(InvalidPayloadException.class).hasMessageContaining("return_id");
        assertThatThrownBy(() -> read("{\"topic\":\"return.processing\",\"trigger\":\"return.processing.failed\","
                + "\"return_id\":\"abc\"}")).isInstanceOf(InvalidPayloadException.class).hasMessageContaining("integer");
        assertThatThrownBy(() -> read("{\"topic\":\"return.processing\",\"trigger\":\"return.processing.failed\","
                + "\"return_id\":7,\"message\":{\"text\":\"x\"}}")).isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("message");
    }
}
