package com.returnbridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.connection.StatusAction;
import com.returnbridge.connection.StatusPolicy;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Status normalisation and the decision policy, over every mapping and every receipt count. */
class DecisionProperties {

    private static final List<String> DEFAULT_STATUSES = List.of("Warehouse Complete", "Complete", "Issue", "Damaged",
            "Pending", "RTS");

    // ---------------------------------------------------------------- normalisation

    @Property(tries = 500)
    void everySpellingOfAStatusMapsLikeTheStatus(@ForAll("defaultStatuses") String status, @ForAll("spellings") long seed) {
        String variant = respell(status, seed);
        StatusPolicy policy = StatusPolicy.defaults();
        assertThat(StatusPolicy.normalise(variant)).isEqualTo(StatusPolicy.normalise(status));
        assertThat(policy.mapped(variant)).isEqualTo(policy.mapped(status)).isPresent();
    }

    @Property(tries = 500)
    void normaliseIsIdempotentAndKeepsOnlyWhatMatters(@ForAll String status) {
        String once = StatusPolicy.normalise(status);
        assertThat(StatusPolicy.normalise(once)).isEqualTo(once);
        assertThat(once).doesNotContain(" ", "_", "-").isEqualTo(once.toLowerCase(Locale.ROOT));
    }

    @Property(tries = 300)
    void differentLettersNeverMeet(@ForAll("defaultStatuses") String a, @ForAll("defaultStatuses") String b) {
        assertThat(StatusPolicy.normalise(a).equals(StatusPolicy.normalise(b))).isEqualTo(a.equals(b));
    }

    // ---------------------------------------------------------------- decision: mapping × receipt counts

    @Property(tries = 2000)
    void decisionFollowsTheMappingAndTheCounts(@ForAll("policies") StatusPolicy policy,
                                               @ForAll("anyStatus") String status,
                                               @ForAll("lines") List<WarehouseApi.LineState> lines) {
        int expected = lines.stream().mapToInt(WarehouseApi.LineState::expected).sum();
        int received = lines.stream().mapToInt(WarehouseApi.LineState::received).sum();
        WarehouseApi.RmaSnapshot rma = new WarehouseApi.RmaSnapshot("id", 1L, "p", status, expected, received, lines);
        BridgeService.Decision decision = BridgeService.Decision.of(policy, rma);

        StatusAction configured = policy.mapped(status).orElse(policy.unmappedAction());
        boolean everyUnit = expected > 0 && lines.stream().allMatch(l -> l.received() >= l.expected())
                && received == expected;
        // Process only with every unit received; otherwise what is configured, Process downgraded to Flag.
        StatusAction want = configured == StatusAction.PROCESS && !everyUnit ? StatusAction.FLAG : configured;
        assertThat(decision.action()).isEqualTo(want);
        assertThat(decision.unmapped()).isEqualTo(policy.mapped(status).isEmpty());
        if (decision.action() == StatusAction.PROCESS) {
            assertThat(received).isEqualTo(expected).isPositive();
        }
        // The key is what makes a decision act once: same status spelling-insensitively and counts → same key.
        if (status == null || status.chars().allMatch(c -> c < 128)) {
            assertThat(BridgeService.Decision.of(policy, new WarehouseApi.RmaSnapshot("id", 1L, "p",
                    status == null ? null : "  " + status.toUpperCase(Locale.ROOT) + " ", expected, received, lines))
                    .key()).isEqualTo(decision.key());
        }
        assertThat(decision.key().length()).isLessThanOrEqualTo(300 + 40);
        if (decision.action() == StatusAction.FLAG) {
            assertThat(decision.note(rma).length()).isLessThan(255);
        }
    }

    @Property(tries = 500)
    void aChangeOfCountsIsANewDecision(@ForAll("defaultStatuses") String status,
                                       @ForAll @IntRange(min = 1, max = 50) int expected,
                                       @ForAll @IntRange(min = 0, max = 50) int a, @ForAll @IntRange(min = 0, max = 50) int b) {
        StatusPolicy policy = StatusPolicy.defaults();
        var ra = new WarehouseApi.RmaSnapshot("id", 1L, "p", status, expected, a,
                List.of(new WarehouseApi.LineState("S", expected, a)));
        var rb = new WarehouseApi.RmaSnapshot("id", 1L, "p", status, expected, b,
                List.of(new WarehouseApi.LineState("S", expected, b)));
        assertThat(BridgeService.Decision.of(policy, ra).key().equals(BridgeService.Decision.of(policy, rb).key()))
                .isEqualTo(a == b);
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<String> defaultStatuses() {
        return Arbitraries.of(DEFAULT_STATUSES);
    }

    @Provide
    Arbitrary<Long> spellings() {
        return Arbitraries.longs();
    }

    @Provide
    Arbitrary<String> anyStatus() {
        return Arbitraries.oneOf(defaultStatuses(), defaultStatuses().map(s -> respell(s, s.hashCode())),
                Arbitraries.strings().ofMaxLength(80), Arbitraries.of("Missing Inventory", "QA hold", ""))
                .injectNull(0.05);
    }

    @Provide
    Arbitrary<StatusPolicy> policies() {
        Arbitrary<List<String>> subset = Arbitraries.of(DEFAULT_STATUSES).list().uniqueElements().ofMaxSize(3);
        return Combinators.combine(subset, subset, subset, Arbitraries.of(StatusAction.values()))
                .as((process, flag, ignore, unmapped) -> new StatusPolicy(process, flag, ignore, unmapped));
    }

    @Provide
    Arbitrary<List<WarehouseApi.LineState>> lines() {
        Arbitrary<WarehouseApi.LineState> line = Combinators.combine(Arbitraries.of("TEE", "CAP", "SOCK"),
                Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 6))
                .as(WarehouseApi.LineState::new);
        return line.list().ofMaxSize(4);
    }

    /** The same status as ShipHero or a person might type it: any case, spaces, underscores, hyphens around. */
    static String respell(String status, long seed) {
        java.util.Random random = new java.util.Random(seed);
        StringBuilder out = new StringBuilder();
        String[] fillers = {"", " ", "_", "-", "  ", "\t"};
        out.append(fillers[random.nextInt(fillers.length)]);
        for (char c : status.toCharArray()) {
            if (c == ' ') {
                out.append(fillers[random.nextInt(fillers.length)]);
                continue;
            }
            out.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
            if (random.nextInt(6) == 0) {
                out.append(fillers[1 + random.nextInt(3)]);
            }
        }
        return out.toString();
    }
}
