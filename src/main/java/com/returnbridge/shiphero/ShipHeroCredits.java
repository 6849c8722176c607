package com.returnbridge.shiphero;

import com.returnbridge.vendor.VendorException;
import com.returnbridge.vendor.RateBudgets;
import com.returnbridge.connection.Connection;
import graphql.language.Argument;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.IntValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.VariableReference;
import graphql.parser.Parser;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * ShipHero's credit budget, per ShipHero account and shared by every instance ({@link RateBudgets}): before a call
 * its estimated cost is taken from the bucket (ShipHero estimates from the requested maximum: every object selected,
 * multiplied by {@code first}/{@code last}); after it, the difference to the complexity ShipHero reported is given
 * back or taken. A call that does not fit waits (as throttling, not a failure) instead of being refused by ShipHero.
 */
@Component
public class ShipHeroCredits {

    private static final Map<String, Document> PARSED = new java.util.concurrent.ConcurrentHashMap<>();

    private final RateBudgets budgets;
    private final RateBudgets.Budget budget;

    public ShipHeroCredits(RateBudgets budgets,
                           @Value("${returnbridge.shiphero.credits.bucket:4004}") long bucket,
                           @Value("${returnbridge.shiphero.credits.per-second:60}") long perSecond) {
        this.budgets = budgets;
        this.budget = new RateBudgets.Budget("shiphero", bucket, perSecond, Duration.ofSeconds(1));
    }

    /** Takes the estimate from the account's budget, or throws throttled with the time until it would fit. */
    public long reserve(Connection connection, GraphQlDocuments document, Map<String, Object> variables) {
        // Half again as much as the estimate: ShipHero charges what it returned, which can exceed the estimate for
        // plain lists (line items), and charges before our settle lands. The excess comes back at settle.
        long estimate = Math.min(estimate(document.text(), variables) * 3 / 2 + 1, budget.capacity());
        Bucket bucket = bucket(connection);
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(estimate);
        if (!probe.isConsumed()) {
            throw VendorException.throttled("ShipHero credit budget (" + budget.capacity() + ", +" + budget.refill()
                    + "/s) has not " + estimate + " credits left", Duration.ofNanos(
                    Math.max(probe.getNanosToWaitForRefill(), Duration.ofMillis(200).toNanos())));
        }
        return estimate;
    }

    /** Squares the reservation with what ShipHero charged (its reported complexity). */
    public void settle(Connection connection, long reserved, long charged) {
        if (charged <= 0 || charged == reserved) {
            return;
        }
        Bucket bucket = bucket(connection);
        if (charged > reserved) {
            bucket.consumeIgnoringRateLimits(charged - reserved);
        } else {
            bucket.addTokens(reserved - charged);
        }
    }

    private Bucket bucket(Connection connection) {
        Connection.ShipHeroSettings s = connection.shiphero();
        String credential = s.refreshToken() != null ? s.refreshToken().reveal()
                : s.accessToken() != null ? s.accessToken().reveal() : connection.id();
        return budgets.bucket(budget, s.baseUrl() + "|" + credential);
    }

    /** 1 + the objects the operation may return, each {@code first}/{@code last} multiplying what is below it. */
    static long estimate(String text, Map<String, Object> variables) {
        Document document = PARSED.computeIfAbsent(text, Parser::parse);
        long total = 0;
        for (var definition : document.getDefinitions()) {
            if (definition instanceof OperationDefinition operation) {
                for (Selection<?> selection : operation.getSelectionSet().getSelections()) {
                    if (selection instanceof Field field) {
                        total += 1 + objects(field, 1, variables);
                    }
                }
            }
        }
        return Math.max(1, total);
    }

    private static long objects(Field field, long multiplier, Map<String, Object> variables) {
        SelectionSet set = field.getSelectionSet();
        if (set == null) {
            return 0;
        }
        long below = multiplier * pageSize(field, variables);
        long total = multiplier;
        for (Selection<?> selection : set.getSelections()) {
            if (selection instanceof Field child) {
                total += objects(child, below, variables);
            }
        }
        return total;
    }

    private static long pageSize(Field field, Map<String, Object> variables) {
        for (Argument argument : field.getArguments()) {
            if (argument.getName().equals("first") || argument.getName().equals("last")) {
                Object value = argument.getValue() instanceof IntValue i ? i.getValue()
                        : argument.getValue() instanceof VariableReference v ? variables.get(v.getName()) : null;
                if (value instanceof Number n) {
                    return Math.max(1, n.longValue());
                }
            }
        }
        return 1;
    }
}
