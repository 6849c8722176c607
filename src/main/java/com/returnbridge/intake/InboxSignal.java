package com.returnbridge.intake;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * "The inbox has new rows": raised after every commit of the writer, awaited by the router. Wakes coalesce: many
 * commits while the router is busy make one more pass, not many.
 */
@Component
class InboxSignal {

    private final BlockingQueue<Boolean> raised = new ArrayBlockingQueue<>(1);

    void raise() {
        raised.offer(Boolean.TRUE);
    }

    /** True when raised, false when the timeout passed first. */
    boolean await(Duration timeout) throws InterruptedException {
        return raised.poll(timeout.toNanos(), TimeUnit.NANOSECONDS) != null;
    }
}
