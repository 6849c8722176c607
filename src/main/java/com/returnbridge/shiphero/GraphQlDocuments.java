package com.returnbridge.shiphero;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The GraphQL documents we send, kept as {@code .graphql} files under {@code shiphero/} and read once. */
public enum GraphQlDocuments {
    FIND_ORDERS_BY_PARTNER_ORDER_ID("FindOrdersByPartnerOrderId"),
    FIND_ORDERS_BY_ORDER_NUMBER("FindOrdersByOrderNumber"),
    CREATE_RETURN("CreateReturn"),
    GET_RETURN("GetReturn"),
    UPDATE_RETURN_STATUS("UpdateReturnStatus"),
    RETURNS_SINCE("ReturnsSince");

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

    public static List<String> resources() {
        return java.util.Arrays.stream(values()).map(GraphQlDocuments::resource).toList();
    }
}
