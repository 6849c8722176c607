package com.returnbridge.connection;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for {@code connection_config} (connections made in the console or admin API) and {@code connection_state}
 * (pause). Secrets go through {@link SecretCipher} on the way in and out: the table never sees plain text.
 */
@Repository
public class ConnectionStore {

    private static final String COLUMNS = """
            id, loop_base_url, loop_api_key, loop_webhook_secret, shiphero_base_url, shiphero_refresh_token,
            shiphero_access_token, shiphero_webhook_secret, customer_account_id, warehouse_id, process_statuses,
            flag_statuses, ignore_statuses, unmapped_action, close_status, receipt_rule, updated_at, updated_by,
            rma_label_type, rma_label_cost, rma_shipping_carrier, rma_shipping_method, rma_weight, rma_length, rma_width,
            rma_height, shiphero_shop_name, problem_conditions""";

    /** A row as stored; secret fields hold ciphertext. */
    record Row(String id, String loopBaseUrl, String loopApiKey, String loopWebhookSecret, String shipheroBaseUrl,
               String shipheroRefreshToken, String shipheroAccessToken, String shipheroWebhookSecret,
               String customerAccountId, String warehouseId, String processStatuses, String flagStatuses,
               String ignoreStatuses, String unmappedAction, String closeStatus, String receiptRule,
               OffsetDateTime updatedAt, String updatedBy, String rmaLabelType, String rmaLabelCost,
               String rmaShippingCarrier, String rmaShippingMethod, String rmaWeight, String rmaLength, String rmaWidth,
               String rmaHeight, String shipheroShopName, String problemConditions) {
    }

    public record PauseState(boolean paused, String changedBy, OffsetDateTime changedAt) {
    }

    private final JdbcClient jdbc;
    private final SecretCipher cipher;
    private final Clock clock;

    public ConnectionStore(JdbcClient jdbc, SecretCipher cipher, Clock clock) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.clock = clock;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    public List<Connection> loadAll() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM connection_config ORDER BY id").query(Row.class).list().stream()
                .map(this::toConnection).toList();
    }

    public Optional<Connection> load(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM connection_config WHERE id = ?").param(id).query(Row.class)
                .optional().map(this::toConnection);
    }

    public boolean exists(String id) {
        return jdbc.sql("SELECT COUNT(*) FROM connection_config WHERE id = ?").param(id).query(Long.class).single() > 0;
    }

    /** Inserts or replaces the whole connection, secrets encrypted with the current key. */
    public void save(Connection c, String by) {
        OffsetDateTime now = now();
        Connection.RmaDefaults d = c.rmaDefaults();
        Object[] values = {c.loop().baseUrl(), seal(c.loop().apiKey()), seal(c.loop().webhookSecret()),
                c.shiphero().baseUrl(), seal(c.shiphero().refreshToken()), seal(c.shiphero().accessToken()),
                seal(c.shiphero().webhookSecret()), c.shiphero().customerAccountId(), c.shiphero().warehouseId(),
                join(c.statusPolicy().listed(StatusAction.PROCESS)), join(c.statusPolicy().listed(StatusAction.FLAG)),
                join(c.statusPolicy().listed(StatusAction.IGNORE)), c.statusPolicy().unmappedAction().name(),
                c.closeStatus(), c.statusPolicy().receiptRule().name(), d.labelType(), d.labelCost(),
                d.shippingCarrier(), d.shippingMethod(), d.weight(), d.length(), d.width(), d.height(), now, by};
        int updated = jdbc.sql("""
                UPDATE connection_config SET loop_base_url = ?, loop_api_key = ?, loop_webhook_secret = ?,
                       shiphero_base_url = ?, shiphero_refresh_token = ?, shiphero_access_token = ?,
                       shiphero_webhook_secret = ?, customer_account_id = ?, warehouse_id = ?, process_statuses = ?,
                       flag_statuses = ?, ignore_statuses = ?, unmapped_action = ?, close_status = ?, receipt_rule = ?,
                       rma_label_type = ?, rma_label_cost = ?, rma_shipping_carrier = ?, rma_shipping_method = ?,
                       rma_weight = ?, rma_length = ?, rma_width = ?, rma_height = ?, updated_at = ?, updated_by = ?
                WHERE id = ?""").params(append(values, c.id())).update();
        if (updated == 0) {
            jdbc.sql("""
                    INSERT INTO connection_config (loop_base_url, loop_api_key, loop_webhook_secret, shiphero_base_url,
                           shiphero_refresh_token, shiphero_access_token, shiphero_webhook_secret, customer_account_id,
                           warehouse_id, process_statuses, flag_statuses, ignore_statuses, unmapped_action,
                           close_status, receipt_rule, rma_label_type, rma_label_cost, rma_shipping_carrier,
                           rma_shipping_method, rma_weight, rma_length, rma_width, rma_height, updated_at, updated_by,
                           id, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(append(append(values, c.id()), now)).update();
        }
        jdbc.sql("UPDATE connection_config SET shiphero_shop_name = ? WHERE id = ?")
                .params(c.shiphero().shopName(), c.id()).update();
        jdbc.sql("UPDATE connection_config SET problem_conditions = ? WHERE id = ?")
                .params(join(c.statusPolicy().problemConditions()), c.id()).update();
    }

    public boolean delete(String id) {
        jdbc.sql("DELETE FROM connection_state WHERE connection_id = ?").param(id).update();
        return jdbc.sql("DELETE FROM connection_config WHERE id = ?").param(id).update() == 1;
    }

    /**
     * Re-encrypts every secret sealed with a previous key (returnbridge.secrets.previous-keys) with the current one.
     *
     * @return how many values were re-encrypted
     */
    public int rotateKeys() {
        int rotated = 0;
        for (Row row : jdbc.sql("SELECT " + COLUMNS + " FROM connection_config").query(Row.class).list()) {
            String[] sealed = {row.loopApiKey(), row.loopWebhookSecret(), row.shipheroRefreshToken(),
                    row.shipheroAccessToken(), row.shipheroWebhookSecret()};
            boolean stale = Arrays.stream(sealed).anyMatch(cipher::needsRotation);
            if (!stale) {
                continue;
            }
            String[] fresh = Arrays.stream(sealed).map(v -> v == null ? null : cipher.encrypt(cipher.decrypt(v)))
                    .toArray(String[]::new);
            jdbc.sql("""
                    UPDATE connection_config SET loop_api_key = ?, loop_webhook_secret = ?, shiphero_refresh_token = ?,
                           shiphero_access_token = ?, shiphero_webhook_secret = ? WHERE id = ?""")
                    .params(fresh[0], fresh[1], fresh[2], fresh[3], fresh[4], row.id()).update();
            rotated += (int) Arrays.stream(sealed).filter(cipher::needsRotation).count();
        }
        return rotated;
    }

    // ---------------------------------------------------------------- pause

    public PauseState pauseState(String id) {
        // aliased to the record's names: every job asks, and a column the row mapper misses is an SQLException
        // (H2 also writes each, with its stack trace, to its trace file)
        return jdbc.sql("SELECT paused, changed_by AS changedBy, changed_at AS changedAt FROM connection_state"
                        + " WHERE connection_id = ?")
                .param(id).query(PauseState.class).optional().orElse(new PauseState(false, null, null));
    }

    public boolean isPaused(String id) {
        return pauseState(id).paused();
    }

    public Map<String, Boolean> pausedById() {
        return jdbc.sql("SELECT connection_id, paused FROM connection_state").query((rs, n) -> Map.entry(
                rs.getString(1), rs.getBoolean(2))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** @return false when the connection already was in that state */
    public boolean setPaused(String id, boolean paused, String by) {
        PauseState current = pauseState(id);
        if (current.paused() == paused && current.changedAt() != null) {
            return false;
        }
        int updated = jdbc.sql("UPDATE connection_state SET paused = ?, changed_by = ?, changed_at = ? "
                + "WHERE connection_id = ?").params(paused, by, now(), id).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO connection_state (connection_id, paused, changed_by, changed_at) VALUES (?, ?, ?, ?)")
                    .params(id, paused, by, now()).update();
        }
        return current.paused() != paused;
    }

    // ---------------------------------------------------------------- mapping

    private Connection toConnection(Row r) {
        return new Connection(r.id(),
                new Connection.LoopSettings(r.loopBaseUrl(), open(r.loopApiKey()), open(r.loopWebhookSecret())),
                new Connection.ShipHeroSettings(r.shipheroBaseUrl(), open(r.shipheroRefreshToken()),
                        open(r.shipheroAccessToken()), open(r.shipheroWebhookSecret()), r.customerAccountId(),
                        r.warehouseId(), r.shipheroShopName()),
                new StatusPolicy(split(r.processStatuses()), split(r.flagStatuses()), split(r.ignoreStatuses()),
                        StatusAction.parse(r.unmappedAction()), ReceiptRule.parse(r.receiptRule()))
                        // NULL: a row from before V43, with the defaults
                        .withProblemConditions(r.problemConditions() == null ? null : split(r.problemConditions())),
                r.closeStatus(), rmaDefaults(r));
    }

    /** Columns left NULL (rows from before V32) take the standard default. */
    private static Connection.RmaDefaults rmaDefaults(Row r) {
        return new Connection.RmaDefaults(r.rmaLabelType(), r.rmaLabelCost(), r.rmaShippingCarrier(),
                r.rmaShippingMethod(), r.rmaWeight(), r.rmaLength(), r.rmaWidth(), r.rmaHeight()).orStandard();
    }

    private String seal(Secret secret) {
        return secret == null ? null : cipher.encrypt(secret.reveal());
    }

    private Secret open(String sealed) {
        return sealed == null ? null : Secret.of(cipher.decrypt(sealed));
    }

    /** Status lists are stored one per line (status names may contain commas in theory, never newlines). */
    static String join(List<String> statuses) {
        return String.join("\n", statuses);
    }

    static List<String> split(String stored) {
        if (stored == null || stored.isBlank()) {
            return List.of();
        }
        return Arrays.stream(stored.split("\n")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static Object[] append(Object[] values, Object extra) {
        Object[] out = Arrays.copyOf(values, values.length + 1);
        out[values.length] = extra;
        return out;
    }
}
