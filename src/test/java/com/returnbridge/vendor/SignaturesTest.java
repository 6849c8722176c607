package com.returnbridge.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Vectors computed independently with {@code openssl dgst -sha256 -hmac <secret> -binary | base64}. */
class SignaturesTest {

    private static final byte[] LOOP_BODY =
            "{\"topic\":\"return\",\"trigger\":\"return.created\",\"id\":\"48213377\",\"state\":\"open\"}"
                    .getBytes(StandardCharsets.UTF_8);
    private static final byte[] SHIPHERO_BODY = ("{\"test\":\"0\",\"webhook_type\":\"Return Update\",\"return_id\":7712345,"
            + "\"return_uuid\":\"UmV0dXJuOjc3MTIzNDU=\",\"status\":\"warehouse_complete\"}").getBytes(StandardCharsets.UTF_8);

    @Test
    void matchesOpensslForLoop() {
        assertThat(Signatures.sign("loop-secret-123", LOOP_BODY)).isEqualTo("XsmyIZ+moxL7uuR+yOiscFl9uc1NYolrAF52iRfKSks=");
        assertThat(Signatures.verify("loop-secret-123", LOOP_BODY, "XsmyIZ+moxL7uuR+yOiscFl9uc1NYolrAF52iRfKSks="))
                .isTrue();
    }

    @Test
    void matchesOpensslForShipHero() {
        assertThat(Signatures.verify("shiphero-shared-secret", SHIPHERO_BODY,
                "yPTqJbTiCQhOCx5GWt/no86DVSt3E6nR8Il2XeeiXMQ=")).isTrue();
    }

    @Test
    void rejectsWrongSecretChangedBodyAndMissingHeader() {
        assertThat(Signatures.verify("other", LOOP_BODY, "XsmyIZ+moxL7uuR+yOiscFl9uc1NYolrAF52iRfKSks=")).isFalse();
        byte[] reserialised = new String(LOOP_BODY, StandardCharsets.UTF_8).replace(",", ", ")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(Signatures.verify("loop-secret-123", reserialised, "XsmyIZ+moxL7uuR+yOiscFl9uc1NYolrAF52iRfKSks="))
                .isFalse();
        assertThat(Signatures.verify("loop-secret-123", LOOP_BODY, null)).isFalse();
        assertThat(Signatures.verify("loop-secret-123", LOOP_BODY, "")).isFalse();
        assertThat(Signatures.verify(null, LOOP_BODY, "XsmyIZ+moxL7uuR+yOiscFl9uc1NYolrAF52iRfKSks=")).isFalse();
    }
}
