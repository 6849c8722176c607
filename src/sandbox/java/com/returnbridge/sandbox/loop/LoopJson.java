package com.returnbridge.sandbox.loop;

import com.returnbridge.sandbox.loop.LoopReturnView.Label;
import com.returnbridge.sandbox.loop.LoopReturnView.LineItem;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Loop's JSON shapes. The three views of a return deliberately differ the way Loop's do: the webhook has a
 * string id and ISO times, Get Return Details an integer id and "Y-m-d H:i:s" times, the list a string id.
 *
 * <p>One class, over 300 lines: every shape Loop writes for a return sits side by side, so a reader can compare the
 * views line by line and see that they differ only where Loop's do; the parts they share (order, address, totals,
 * line items, trailing label fields) are the private helpers below.
 */
final class LoopJson {

    /** Loop (PHP) escapes slashes; doing the same catches clients that verify a re-serialised body. */
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter LARAVEL_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final String ZERO = "0.00";
    private static final String NA = "N/A";

    private LoopJson() {
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** Compact, no newlines: these are the exact bytes that get signed. */
    static byte[] bytes(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    static String write(JsonNode node) {
        return new String(bytes(node), StandardCharsets.UTF_8);
    }

    static JsonNode parse(String text) {
        return MAPPER.readTree(text);
    }

    static String laravelTime(Instant at) {
        return at == null ? null : LARAVEL_TIME.format(at);
    }

    static String isoTime(Instant at) {
        return at == null ? null : DateTimeFormatter.ISO_INSTANT.format(at);
    }

    static String money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    // --- webhooks -------------------------------------------------------------------------------------------

    /**
     * Topic {@code return.processing}, trigger {@code return.processing.failed}: {@code return_id} (integer),
     * {@code return_state}, {@code message} (string or null), {@code source}; no {@code id} (loop.md §0).
     */
    static ObjectNode processingFailedWebhook(LoopReturnView r, String message) {
        ObjectNode n = object();
        n.put("topic", "return.processing");
        n.put("trigger", "return.processing.failed");
        n.put("return_id", r.id());
        n.put("return_state", r.state());
        if (message == null) {
            n.putNull("message");
        } else {
            n.put("message", message);
        }
        n.put("source", "api");
        return n;
    }

    static ObjectNode returnWebhook(LoopReturnView r, String trigger) {
        ObjectNode n = object();
        n.put("topic", "return");
        n.put("trigger", trigger);
        n.put("shop_id", SandboxLoop.SHOP_ID);
        n.put("id", Long.toString(r.id()));
        n.put("state", r.state());
        n.put("created_at", isoTime(r.createdAt()));
        n.put("edited_at", isoTime(r.editedAt()));
        n.put("total", money(r.total()));
        putOrder(n, r);
        n.put("provider_order_external_id", r.providerOrderId());
        n.put("provider_order_sales_channel", "Online Store");
        n.put("customer", r.customerEmail());
        ObjectNode customer = n.putObject("customer_detail");
        customer.put("email", r.customerEmail());
        customer.put("first_name", r.firstName());
        customer.putNull("middle_name");
        customer.put("last_name", r.lastName());
        putAddress(n.putObject("address"), r.address());
        n.put("currency", r.currency());
        putTotals(n, r);
        n.put("status_page_url", statusPageUrl(r));
        n.put("gift_card", ZERO);
        n.put("is_gift_return", false);
        n.putArray("refunds");
        ArrayNode labels = n.putArray("labels");
        r.currentLabel().ifPresent(label -> labels.add(webhookLabel(label, r)));
        ArrayNode items = n.putArray("line_items");
        for (LineItem item : r.lineItems()) {
            items.add(lineItem(item, isoTime(item.returnedAt())));
        }
        n.putArray("exchanges");
        putTrailingLabelFields(n, r);
        return n;
    }

    static ObjectNode labelWebhook(LoopReturnView r, String trigger) {
        Label label = r.label();
        ObjectNode n = object();
        n.put("topic", "label");
        n.put("trigger", trigger);
        n.put("shop_id", SandboxLoop.SHOP_ID);
        n.put("id", Long.toString(r.id()));
        n.put("order_id", r.loopOrderId());
        n.put("provider_order_id", r.providerOrderId());
        n.put("carrier", label.carrier());
        n.put("tracking_number", label.trackingNumber());
        n.put("label_status", label.status());
        n.put("label_updated_at", isoTime(label.updatedAt()));
        n.put("shipment_id", label.shipmentId());
        return n;
    }

    private static ObjectNode webhookLabel(Label label, LoopReturnView r) {
        ObjectNode l = object();
        l.put("status", label.status());
        l.put("updated_at", isoTime(label.updatedAt()));
        l.put("url", label.url());
        l.put("rate", money(label.rate()));
        l.put("carrier", label.carrier());
        l.put("tracking_number", label.trackingNumber());
        ArrayNode ids = l.putArray("line_items");
        r.lineItems().forEach(item -> ids.add(item.lineItemId()));
        return l;
    }

    // --- Get Return Details / Detailed Returns List ----------------------------------------------------------

    static ObjectNode details(LoopReturnView r) {
        ObjectNode n = object();
        n.put("id", r.id());
        n.put("created_at", laravelTime(r.createdAt()));
        n.put("updated_at", laravelTime(r.updatedAt()));
        n.put("edited_at", laravelTime(r.editedAt()));
        putOrder(n, r);
        n.put("state", r.state());
        n.put("total", money(r.total()));
        n.put("customer", r.customerEmail());
        n.put("multi_currency", false);
        n.put("currency", r.currency());
        n.putNull("exchange");
        n.putNull("exchange_order_name");
        n.putNull("exchange_order_id");
        n.putNull("gift_card_order_name");
        n.putNull("gift_card_order_id");
        n.put("gift_card", ZERO);
        n.putArray("refunds");
        putTotals(n, r);
        ArrayNode items = n.putArray("line_items");
        for (LineItem item : r.lineItems()) {
            ObjectNode i = lineItem(item, laravelTime(item.returnedAt()));
            i.put("line_item_title", item.title());
            i.putNull("variant_title");
            i.putNull("image");
            i.putNull("provider_restock_location_id");
            i.putNull("consolidation_tracking");
            items.add(i);
        }
        ArrayNode labels = n.putArray("labels");
        r.currentLabel().ifPresent(label -> {
            ObjectNode l = labels.addObject();
            l.put("url", label.url());
            l.put("tracking_number", label.trackingNumber());
            l.put("carrier", label.carrier());
            l.put("status", label.status());
            l.put("rate", money(label.rate()));
        });
        return n;
    }

    static ObjectNode listEntry(LoopReturnView r) {
        ObjectNode n = object();
        n.put("id", Long.toString(r.id()));
        n.put("state", r.state());
        n.put("created_at", isoTime(r.createdAt()));
        n.put("updated_at", isoTime(r.updatedAt()));
        n.put("edited_at", isoTime(r.editedAt()));
        n.put("total", money(r.total()));
        n.put("outcome", "refund");
        putOrder(n, r);
        n.put("customer", r.customerEmail());
        n.put("origin_country", r.address().country());
        n.put("origin_country_code", r.address().countryCode());
        n.put("multi_currency", false);
        n.put("currency", r.currency());
        putTotals(n, r);
        n.putNull("gift_card_order_name");
        n.putNull("gift_card_order_id");
        ArrayNode items = n.putArray("line_items");
        for (LineItem item : r.lineItems()) {
            ObjectNode i = lineItem(item, isoTime(item.returnedAt()));
            i.put("refund_item", money(item.price()));
            i.put("refund_tax", ZERO);
            i.put("return_comment", "");
            items.add(i);
        }
        n.putArray("exchanges");
        putTrailingLabelFields(n, r);
        n.put("label_url", r.currentLabel().map(Label::url).orElse(NA));
        n.put("label_rate", r.currentLabel().map(label -> money(label.rate())).orElse(NA));
        n.putNull("destination_id");
        n.put("return_method", "shipping_label");
        n.put("status_page_url", statusPageUrl(r));
        return n;
    }

    // --- pieces ----------------------------------------------------------------------------------------------

    static ObjectNode webhookSubscription(LoopWebhook w) {
        ObjectNode n = object();
        n.put("id", w.id());
        n.put("shop_id", SandboxLoop.SHOP_ID);
        n.put("topic", w.topic());
        n.put("trigger", w.trigger());
        n.put("url", w.url());
        n.put("status", w.status());
        return n;
    }

    private static void putOrder(ObjectNode n, LoopReturnView r) {
        n.put("order_id", r.loopOrderId());
        n.put("order_name", r.orderName());
        n.put("order_number", r.orderNumber());
        n.put("provider_order_id", r.providerOrderId());
        // Loop types this loosely; a number when it is one, as in its examples.
        String number = r.orderNumber();
        if (number.matches("\\d{1,18}")) {
            n.put("provider_order_number", Long.parseLong(number));
        } else {
            n.put("provider_order_number", number);
        }
    }

    private static void putAddress(ObjectNode a, NewReturn.Address address) {
        a.put("name", address.name());
        a.put("company", address.company());
        a.put("address1", address.address1());
        a.put("address2", address.address2());
        a.put("city", address.city());
        a.put("state", address.state());
        a.put("zip", address.zip());
        a.put("country", address.country());
        a.put("country_code", address.countryCode());
        a.put("phone", address.phone());
    }

    /** Refund-only returns: everything the customer sends back is refunded, no fees, no exchanges. */
    private static void putTotals(ObjectNode n, LoopReturnView r) {
        String total = money(r.total());
        n.put("return_product_total", total);
        n.put("return_discount_total", ZERO);
        n.put("return_tax_total", ZERO);
        n.put("return_total", total);
        n.put("return_credit_total", ZERO);
        n.put("exchange_product_total", ZERO);
        n.put("exchange_discount_total", ZERO);
        n.put("exchange_tax_total", ZERO);
        n.put("exchange_total", ZERO);
        n.put("exchange_credit_total", ZERO);
        n.put("handling_fee", ZERO);
        n.put("refund", total);
        n.put("upsell", ZERO);
    }

    private static ObjectNode lineItem(LineItem item, String returnedAt) {
        ObjectNode i = object();
        i.put("line_item_id", item.lineItemId());
        i.put("provider_line_item_id", item.providerLineItemId());
        i.put("product_id", item.productId());
        i.put("variant_id", item.variantId());
        i.put("sku", item.sku());
        i.put("barcode", item.barcode());
        i.put("title", item.title());
        i.put("price", money(item.price()));
        i.put("discount", ZERO);
        i.put("tax", ZERO);
        i.put("refund", money(item.price()));
        i.put("returned_at", returnedAt);
        // As Loop documents it (loop.md §0): outcome is "default", an exchange is told by its exchange_variant. The
        // simulator knows each unit's outcome (refund, store credit, exchange) for Remove Line Items.
        i.put("exchange_variant", item.exchange() ? Long.toString(Long.parseLong(item.variantId()) + 1) : "");
        i.put("return_reason", item.returnReason());
        i.put("parent_return_reason", item.parentReturnReason());
        i.put("outcome", "default");
        return i;
    }

    private static void putTrailingLabelFields(ObjectNode n, LoopReturnView r) {
        Label label = r.label();
        n.put("carrier", label == null ? NA : label.carrier());
        n.put("tracking_number", label == null ? NA : label.trackingNumber());
        n.put("label_status", label == null ? NA : label.status());
        n.put("label_updated_at", label == null ? null : isoTime(label.updatedAt()));
    }

    private static String statusPageUrl(LoopReturnView r) {
        return "https://sandbox-shop.loopreturns.com/#/return/" + r.id();
    }
}
