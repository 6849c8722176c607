package com.returnbridge.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.returnbridge.connection.SecretCipher;
import com.returnbridge.support.Http;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Connection secrets never appear in plain text: not in the database (read raw, every column of every table), not in
 * the logs, not in API answers or error bodies. And the key rotation procedure re-encrypts what is stored.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsAtRestTest extends ConsoleTestBase {

    private static final String LOOP_KEY = "loop-key-SECRET-7f3a9c1e";
    private static final String LOOP_HOOK = "loop-hook-SECRET-2b8d4e6f";
    private static final String REFRESH = "shiphero-refresh-SECRET-9a1c3e5g";
    private static final String SH_HOOK = "shiphero-hook-SECRET-4d6f8h0j";
    private static final List<String> SECRETS = List.of(LOOP_KEY, LOOP_HOOK, REFRESH, SH_HOOK);

    @Autowired
    DataSource dataSource;
    @Autowired
    SecretCipher cipher;

    @Test
    void secretsAreEncryptedInTheDatabaseAndNeverInLogsOrAnswers(CapturedOutput output) {
        // Unreachable vendors (port 9 discards): Connect fails, with errors that must not echo a secret either.
        String body = """
                {"id":"secretive","loopBaseUrl":"http://127.0.0.1:9/loop","loopApiKey":"%s","loopWebhookSecret":"%s",
                 "shipheroBaseUrl":"http://127.0.0.1:9/shiphero","shipheroRefreshToken":"%s","shipheroWebhookSecret":"%s",
                 "warehouseId":"W1"}""".formatted(LOOP_KEY, LOOP_HOOK, REFRESH, SH_HOOK);
        Http.Answer created = call("POST", "/api/connections", body);
        assertThat(created.status()).isEqualTo(201);
        Http.Answer connect = call("POST", "/api/connections/secretive/connect", null);
        Http.Answer duplicate = call("POST", "/api/connections", body);
        assertThat(duplicate.status()).isEqualTo(409);
        Http.Answer bad = call("POST", "/api/connections", body.replace("secretive", "Bad Id!"));
        assertThat(bad.status()).isEqualTo(400);
        Http.Answer badUrl = call("PUT", "/api/connections/secretive", "{\"loopBaseUrl\":\"ftp://x\",\"loopApiKey\":\""
                + LOOP_KEY + "\"}");
        assertThat(badUrl.status()).isEqualTo(400);
        // A webhook signed with a wrong secret is refused; the answer and the log name no secret.
        Http.Answer webhook = Http.post(base() + "/webhooks/loop/secretive", "{}".getBytes(StandardCharsets.UTF_8),
                Map.of("X-Loop-Signature", "AAAA", "Content-Type", "application/json"));
        assertThat(webhook.status()).isEqualTo(401);
        List<Http.Answer> answers = List.of(created, connect, duplicate, bad, badUrl, webhook,
                call("GET", "/api/connections", null), call("GET", "/api/connections/secretive", null),
                call("GET", "/api/overview", null), call("GET", "/actuator/health", null),
                call("GET", "/api/connections/secretive/unmapped-statuses", null));
        for (Http.Answer answer : answers) {
            for (String secret : SECRETS) {
                assertThat(answer.body()).doesNotContain(secret);
            }
        }
        assertThat(connect.body()).contains("\"ok\":false");

        // Raw database: every text column of every row of every table.
        JdbcTemplate raw = new JdbcTemplate(dataSource);
        List<String> tables = raw.queryForList("SELECT table_name FROM information_schema.tables "
                + "WHERE table_schema = 'PUBLIC' AND table_type = 'BASE TABLE'", String.class);
        assertThat(tables).contains("CONNECTION_CONFIG");
        StringBuilder everything = new StringBuilder();
        for (String table : tables) {
            raw.queryForList("SELECT * FROM \"" + table + "\"").forEach(row -> row.values()
                    .forEach(v -> everything.append(v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8)
                            : String.valueOf(v)).append('\n')));
        }
        for (String secret : SECRETS) {
            assertThat(everything.toString()).doesNotContain(secret);
        }
        Map<String, Object> row = raw.queryForMap("SELECT * FROM connection_config WHERE id = 'secretive'");
        assertThat(String.valueOf(row.get("LOOP_API_KEY"))).startsWith("v1:" + cipher.currentKeyId() + ":");
        assertThat(cipher.decrypt(String.valueOf(row.get("LOOP_API_KEY")))).isEqualTo(LOOP_KEY);

        assertThat(output.getAll()).isNotEmpty();
        for (String secret : SECRETS) {
            assertThat(output.getAll()).doesNotContain(secret);
        }
    }

    @Test
    void aValueUnderAnOldKeyIsReadableDuringRotationAndRefusedAfterIt() {
        String oldKey = SecretCipher.newKey();
        SecretCipher old = new SecretCipher(oldKey, List.of(), "target/unused.key");
        String sealed = old.encrypt("rotate-me");
        SecretCipher rotating = new SecretCipher(SECRETS_KEY, List.of(oldKey), "target/unused.key");
        assertThat(rotating.needsRotation(sealed)).isTrue();
        String resealed = rotating.encrypt(rotating.decrypt(sealed));
        assertThat(rotating.needsRotation(resealed)).isFalse();
        SecretCipher after = new SecretCipher(SECRETS_KEY, List.of(), "target/unused.key");
        assertThat(after.decrypt(resealed)).isEqualTo("rotate-me");
        assertThatThrownBy(() -> after.decrypt(sealed)).hasMessageContaining("previous-keys");
        // GCM: two encryptions of one value differ, and a tampered value is refused
        assertThat(after.encrypt("x")).isNotEqualTo(after.encrypt("x"));
        String tampered = resealed.substring(0, resealed.length() - 3) + (resealed.endsWith("A==") ? "B==" : "A==");
        assertThatThrownBy(() -> after.decrypt(tampered)).isInstanceOf(RuntimeException.class);
    }
}
