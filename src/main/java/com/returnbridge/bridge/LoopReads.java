package com.returnbridge.bridge;

import com.returnbridge.connection.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** What the bridge reads back from Loop: to check an action it may already have taken, and to reconcile. */
public interface LoopReads {

    /** The return's current state in Loop ({@code open}, {@code review}, {@code closed}, …); empty when unknown. */
    Optional<String> state(Connection connection, String returnId);

    /** The contents of the return's notes, oldest first; empty when it has none. */
    List<String> notes(Connection connection, String returnId);

    /** Every return updated between {@code from} and {@code to}, in every state, page by page. */
    void updatedBetween(Connection connection, Instant from, Instant to, Consumer<LoopReturn> each);
}
