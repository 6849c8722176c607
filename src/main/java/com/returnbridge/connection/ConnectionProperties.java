package com.returnbridge.connection;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code returnbridge.connections.<id>.*}: connections declared in configuration (or environment variables). */
@ConfigurationProperties("returnbridge")
public class ConnectionProperties {

    private Map<String, ConnectionConfig> connections = new LinkedHashMap<>();

    public Map<String, ConnectionConfig> getConnections() {
        return connections;
    }

    public void setConnections(Map<String, ConnectionConfig> connections) {
        this.connections = connections;
    }

    public static class ConnectionConfig {
        private LoopConfig loop = new LoopConfig();
        private ShipHeroConfig shiphero = new ShipHeroConfig();
        private StatusActionsConfig statusActions = new StatusActionsConfig();
        private String closeStatus = "Complete";
        private String receiptRule = "all_units";
        private List<String> problemConditions = StatusPolicy.DEFAULT_PROBLEM_CONDITIONS;
        private Connection.RmaDefaults rmaDefaults = Connection.RmaDefaults.standard();

        public Connection toConnection(String id) {
            return new Connection(id,
                    new Connection.LoopSettings(loop.baseUrl, Secret.of(loop.apiKey), Secret.of(loop.webhookSecret)),
                    new Connection.ShipHeroSettings(shiphero.baseUrl, Secret.of(shiphero.refreshToken),
                            Secret.of(shiphero.accessToken), Secret.of(shiphero.webhookSecret),
                            blankToNull(shiphero.customerAccountId), blankToNull(shiphero.warehouseId),
                            blankToNull(shiphero.shopName)),
                    new StatusPolicy(statusActions.process, statusActions.flag, statusActions.ignore,
                            StatusAction.parse(statusActions.unmapped), ReceiptRule.parse(receiptRule))
                            .withProblemConditions(problemConditions),
                    closeStatus, rmaDefaults(id));
        }

        /** Checked at start-up: a label type ShipHero would refuse must stop the service, not every return. */
        private Connection.RmaDefaults rmaDefaults(String id) {
            if (rmaDefaults == null) {
                return null;
            }
            try {
                return rmaDefaults.orStandard();
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("returnbridge.connections." + id + ".rma-defaults: " + e.getMessage(), e);
            }
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.trim();
        }

        public LoopConfig getLoop() { return loop; }
        public void setLoop(LoopConfig loop) { this.loop = loop; }
        public ShipHeroConfig getShiphero() { return shiphero; }
        public void setShiphero(ShipHeroConfig shiphero) { this.shiphero = shiphero; }
        public StatusActionsConfig getStatusActions() { return statusActions; }
        public void setStatusActions(StatusActionsConfig statusActions) { this.statusActions = statusActions; }
        public String getCloseStatus() { return closeStatus; }
        public void setCloseStatus(String closeStatus) { this.closeStatus = closeStatus; }
        public String getReceiptRule() { return receiptRule; }
        public void setReceiptRule(String receiptRule) { this.receiptRule = receiptRule; }
        public List<String> getProblemConditions() { return problemConditions; }
        public void setProblemConditions(List<String> problemConditions) { this.problemConditions = problemConditions; }
        public Connection.RmaDefaults getRmaDefaults() { return rmaDefaults; }
        public void setRmaDefaults(Connection.RmaDefaults rmaDefaults) { this.rmaDefaults = rmaDefaults; }
    }

    public static class LoopConfig {
        /**
         * Loop's dated API version, part of the base URL: {@code v1} is a legacy alias of 2026-07 that goes away at
         * that version's sunset. Moving to a newer version is a change of this URL (README, "Loop API version").
         */
        public static final String DEFAULT_BASE_URL = "https://api.loopreturns.com/api/2026-07";

        private String baseUrl = DEFAULT_BASE_URL;
        private String apiKey;
        private String webhookSecret;

        public String getBaseUrl() { return baseUrl; }
        public void setBaseUrl(String baseUrl) { this.baseUrl = baseUrl; }
        public String getApiKey() { return apiKey; }
        public void setApiKey(String apiKey) { this.apiKey = apiKey; }
        public String getWebhookSecret() { return webhookSecret; }
        public void setWebhookSecret(String webhookSecret) { this.webhookSecret = webhookSecret; }
    }

    public static class ShipHeroConfig {
        private String baseUrl = "https://public-api.shiphero.com";
        private String refreshToken;
        private String accessToken;
        private String webhookSecret;
        private String customerAccountId;
        private String warehouseId;
        private String shopName;

        public String getBaseUrl() { return baseUrl; }
        public void setBaseUrl(String baseUrl) { this.baseUrl = baseUrl; }
        public String getRefreshToken() { return refreshToken; }
        public void setRefreshToken(String refreshToken) { this.refreshToken = refreshToken; }
        public String getAccessToken() { return accessToken; }
        public void setAccessToken(String accessToken) { this.accessToken = accessToken; }
        public String getWebhookSecret() { return webhookSecret; }
        public void setWebhookSecret(String webhookSecret) { this.webhookSecret = webhookSecret; }
        public String getCustomerAccountId() { return customerAccountId; }
        public void setCustomerAccountId(String customerAccountId) { this.customerAccountId = customerAccountId; }
        public String getWarehouseId() { return warehouseId; }
        public void setWarehouseId(String warehouseId) { this.warehouseId = warehouseId; }
        public String getShopName() { return shopName; }
        public void setShopName(String shopName) { this.shopName = shopName; }
    }

    public static class StatusActionsConfig {
        private List<String> process = StatusPolicy.DEFAULT_PROCESS;
        private List<String> flag = StatusPolicy.DEFAULT_FLAG;
        private List<String> ignore = StatusPolicy.DEFAULT_IGNORE;
        private String unmapped = "ignore";

        public List<String> getProcess() { return process; }
        public void setProcess(List<String> process) { this.process = process; }
        public List<String> getFlag() { return flag; }
        public void setFlag(List<String> flag) { this.flag = flag; }
        public List<String> getIgnore() { return ignore; }
        public void setIgnore(List<String> ignore) { this.ignore = ignore; }
        public String getUnmapped() { return unmapped; }
        public void setUnmapped(String unmapped) { this.unmapped = unmapped; }
    }
}
