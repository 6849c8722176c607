package com.returnbridge.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.returnbridge.bridge.InvalidPayloadException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

/** Loop's return states as the reader sees them: review in both spellings, unknown states kept, never refused. */
class LoopWebhookReaderTest {

    private final LoopWebhookReader reader = new LoopWebhookReader(JsonMapper.builder().build());

    private String stateOf(String state) {
        byte[] body = ("{\"topic\":\"return\",\"trigger\":\"return.updated\",\"id\":\"48213377\",\"state\":\"" + state
                + "\"}").getBytes(StandardCharsets.UTF_8);
        return reader.read(body).loopReturn().state();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "needs review|review", "Needs Review|review", "needs_review|review", "needs  review|review",
            "review|review", "open|open", "closed|closed", "cancelled|cancelled", "expired|expired",
            "awaiting_inspection|awaiting_inspection", "Open|Open"})
    void statesAreReadAsLoopMeansThem(String sent, String read) {
        assertThat(stateOf(sent)).isEqualTo(read);
    }

    @ParameterizedTest
    @CsvSource({"x, 31", "y, 50"})
    void aStateTooLongToKeepIsUnreadable(String letter, int length) {
        assertThatThrownBy(() -> stateOf(letter.repeat(length))).isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("'state'");
    }
}
