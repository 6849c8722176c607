package com.returnbridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Loop return kept on a link is written in an explicit, versioned form: its JSON is spelled out here, so a renamed
 * Java field that changed it would fail this test; rows written before the form had a version still read.
 */
class StoredLoopReturnTest {

    private static final LoopReturn RETURN = new LoopReturn("4711", "open", "2025-03-01T10:00:00Z", "#1001",
            "820982911946154508", "ann@example.com",
            new LoopReturn.Address("Ann Lee", "1 Main St", null, "Springfield", "IL", "62701", "US", "555-0100"),
            List.of(new LoopReturn.Unit("SKU-1", "Too big", "li-1"), new LoopReturn.Unit("SKU-2", null, "li-2")),
            new LoopReturn.Label("USPS", "9400100000000000000000", "new"));

    /** Version 1, byte for byte. */
    private static final String V1 = "{\"v\":1,\"id\":\"4711\",\"state\":\"open\",\"edited_at\":\"2025-03-01T10:00:00Z\","
            + "\"order_name\":\"#1001\",\"provider_order_id\":\"820982911946154508\",\"customer_email\":\"ann@example.com\","
            + "\"address\":{\"name\":\"Ann Lee\",\"address1\":\"1 Main St\",\"address2\":null,\"city\":\"Springfield\","
            + "\"state\":\"IL\",\"zip\":\"62701\",\"country\":\"US\",\"phone\":\"555-0100\"},"
            + "\"units\":[{\"sku\":\"SKU-1\",\"reason\":\"Too big\",\"provider_line_item_id\":\"li-1\"},"
            + "{\"sku\":\"SKU-2\",\"reason\":null,\"provider_line_item_id\":\"li-2\"}],"
            + "\"label\":{\"carrier\":\"USPS\",\"tracking_number\":\"9400100000000000000000\",\"status\":\"new\"}}";

    /**
     * What rows hold from before version 1: Jackson's serialisation of the LoopReturn record as it was then (checked
     * against Jackson once, including the {@code finished} that {@code isFinished()} added), kept as text so that a
     * later rename cannot change this sample.
     */
    private static final String UNVERSIONED = "{\"id\":\"4711\",\"state\":\"open\",\"editedAt\":\"2025-03-01T10:00:00Z\","
            + "\"orderName\":\"#1001\",\"providerOrderId\":\"820982911946154508\",\"customerEmail\":\"ann@example.com\","
            + "\"address\":{\"name\":\"Ann Lee\",\"address1\":\"1 Main St\",\"address2\":null,\"city\":\"Springfield\","
            + "\"state\":\"IL\",\"zip\":\"62701\",\"country\":\"US\",\"phone\":\"555-0100\"},"
            + "\"units\":[{\"sku\":\"SKU-1\",\"reason\":\"Too big\",\"providerLineItemId\":\"li-1\"},"
            + "{\"sku\":\"SKU-2\",\"reason\":null,\"providerLineItemId\":\"li-2\"}],"
            + "\"label\":{\"carrier\":\"USPS\",\"trackingNumber\":\"9400100000000000000000\",\"status\":\"new\"},"
            + "\"finished\":false}";

    @Test
    void writesVersionOneWithItsOwnFieldNames() {
        assertThat(StoredLoopReturn.write(RETURN)).isEqualTo(V1);
    }

    @Test
    void readsVersionOneBack() {
        assertThat(StoredLoopReturn.read(V1)).isEqualTo(RETURN);
        assertThat(StoredLoopReturn.read(StoredLoopReturn.write(RETURN))).isEqualTo(RETURN);
    }

    @Test
    void readsTheRecordShapedRowsWrittenBeforeVersionOne() {
        assertThat(StoredLoopReturn.read(UNVERSIONED)).isEqualTo(RETURN);
    }

    @Test
    void aLabelOnlyPlaceholderRoundTripsInBothForms() {
        LoopReturn placeholder = new LoopReturn("42", null, null, null, null, null, null, null,
                new LoopReturn.Label("UPS", "1Z999", "new"));
        assertThat(StoredLoopReturn.read(StoredLoopReturn.write(placeholder))).isEqualTo(placeholder);
        String old = "{\"id\":\"42\",\"state\":null,\"editedAt\":null,\"orderName\":null,\"providerOrderId\":null,"
                + "\"customerEmail\":null,\"address\":null,\"units\":[],\"label\":{\"carrier\":\"UPS\","
                + "\"trackingNumber\":\"1Z999\",\"status\":\"new\"},\"finished\":false}";
        assertThat(StoredLoopReturn.read(old)).isEqualTo(placeholder);
    }
}
