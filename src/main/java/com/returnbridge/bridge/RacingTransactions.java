package com.returnbridge.bridge;

import java.util.function.Supplier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two copies of one event racing each other (two deliveries, a delivery and the sweep): the loser hits a unique key
 * (or a lock), and its transaction runs again, now finding the winner's row.
 */
public final class RacingTransactions {

    private static final int ATTEMPTS = 5;

    private RacingTransactions() {
    }

    public static <T> T run(TransactionTemplate tx, Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.execute(s -> work.get());
            } catch (DuplicateKeyException | PessimisticLockingFailureException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
