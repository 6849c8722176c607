package com.returnbridge.bridge;

import com.returnbridge.connection.Connection;
import java.time.Instant;
import java.util.function.Consumer;

/** Batched reads of the warehouse system for reconciliation. */
public interface WarehouseReads {

    /** Every RMA of the connection's warehouse (and customer account) created since {@code from}, page by page. */
    void rmasCreatedSince(Connection connection, Instant from, Consumer<WarehouseApi.RmaSnapshot> each);
}
