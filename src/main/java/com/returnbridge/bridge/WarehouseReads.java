package com.returnbridge.bridge;

import com.returnbridge.connection.Connection;
import java.time.Instant;
import java.util.function.Consumer;

/** Batched reads of the warehouse system for reconciliation. */
public interface WarehouseReads {

    /** Every RMA of the connection's warehouse (and customer account) created since {@code from}, page by page. */
    void rmasCreatedSince(Connection connection, Instant from, Consumer<WarehouseApi.RmaSnapshot> each);

    /**
     * Every RMA on the orders of the connection's (customer) account that the warehouse system updated in
     * {@code [from, to]}, page by page: what changed, without reading what did not.
     */
    void rmasOnOrdersUpdated(Connection connection, Instant from, Instant to, Consumer<WarehouseApi.RmaSnapshot> each);
}
