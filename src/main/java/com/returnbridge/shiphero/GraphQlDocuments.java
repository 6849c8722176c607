package com.returnbridge.shiphero;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The GraphQL documents we send, kept as {@code .graphql} files under {@code shiphero/} and read once. */
public enum GraphQlDocuments {
    FIND_ORDERS_BY_PARTNER_ORDER_ID("FindOrdersByPartnerOrderId"),
    FIND_ORDERS_BY_ORDER_NUMBER("FindOrdersByOrderNumber"),
    CREATE_RETURN("CreateReturn"),
    GET_RETURN("GetReturn"),
    UPDATE_RETURN_STATUS("UpdateReturnStatus"),
    RETURNS_SINCE("ReturnsSince"),
    ORDER_RETURNS_UPDATED("OrderReturnsUpdated"),
    ACCOUNT_WAREHOUSES("AccountWarehouses"),
    RECENT_SHOP_NAMES("RecentShopNames"),
    LIST_WEBHOOKS("ListWebhooks"),
    CREATE_WEBHOOK("CreateWebhook"),
    DELETE_WEBHOOK("DeleteWebhook");

    private final String file;
    private volatile String text;

    GraphQlDocuments(String file) {
        this.file = file;
    }

    public String resource() {
        return "shiphero/" + file + ".graphql";
    }

    public String text() {
        String t = text;
        if (t == null) {
            try (InputStream in = GraphQlDocuments.class.getClassLoader().getResourceAsStream(resource())) {
                if (in == null) {
                    throw new IllegalStateException("missing " + resource());
                }
                t = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                text = t;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return t;
    }

    public boolean isMutation() {
        return text().stripLeading().startsWith("mutation") || text().contains("\nmutation ");
    }

    private static final Pattern OPERATION = Pattern.compile("\\b(query|mutation)\\s+(\\w+)");

    /**
     * A GraphQL request as the vendor call log keeps it: the operation name instead of the document text (the
     * {@code .graphql} file says the rest), and the variables.
     */
    static Map<String, Object> forLog(Map<String, Object> request) {
        Map<String, Object> logged = new LinkedHashMap<>();
        Object query = request.get("query");
        Matcher m = OPERATION.matcher(query == null ? "" : query.toString());
        logged.put("operation", m.find() ? m.group(1) + " " + m.group(2) : "anonymous");
        logged.put("variables", request.get("variables"));
        return logged;
    }

    public static List<String> resources() {
        return java.util.Arrays.stream(values()).map(GraphQlDocuments::resource).toList();
    }
}
