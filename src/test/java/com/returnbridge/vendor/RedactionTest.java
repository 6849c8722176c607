package com.returnbridge.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void tokenAndSecretValuesAreTakenOutWhereverTheyAre() {
        String body = """
                {"access_token":"eyJhbGciOi.abc","expires_in":2419200,"nested":{"Shared_Signature_Secret" : "s3cr\\"et",
                 "refresh_token":null,"api_key":12345},"list":[{"token_type":"Bearer"}],"name":"Return Update"}""";
        String redacted = Redaction.body(body);
        assertThat(redacted).doesNotContain("eyJhbGciOi").doesNotContain("s3cr").doesNotContain("12345")
                .doesNotContain("Bearer")
                .contains("\"access_token\":\"[redacted]\"").contains("\"expires_in\":2419200")
                .contains("\"name\":\"Return Update\"").contains("\"refresh_token\":\"[redacted]\"");
    }

    @Test
    void textThatIsNotJsonAndOrdinaryBodiesPassThrough() {
        assertThat(Redaction.body("\"true\"")).isEqualTo("\"true\"");
        assertThat(Redaction.body("{\"errors\":{\"message\":\"Return is closed\"}}"))
                .isEqualTo("{\"errors\":{\"message\":\"Return is closed\"}}");
        assertThat(Redaction.body("<html>502 Bad Gateway</html>")).isEqualTo("<html>502 Bad Gateway</html>");
        assertThat(Redaction.body("{\"refresh_token\":\"abc")).doesNotContain("abc");
        assertThat(Redaction.body(null)).isNull();
    }

    @Test
    void urlQueryCredentialsAreTakenOut() {
        assertThat(Redaction.url("https://x.test/api?access_token=abc&page=2&apiKey=k1"))
                .isEqualTo("https://x.test/api?access_token=[redacted]&page=2&apiKey=[redacted]");
        assertThat(Redaction.url("https://api.loopreturns.com/api/v1/warehouse/return/list?from=2026-01-01"))
                .isEqualTo("https://api.loopreturns.com/api/v1/warehouse/return/list?from=2026-01-01");
    }
}
