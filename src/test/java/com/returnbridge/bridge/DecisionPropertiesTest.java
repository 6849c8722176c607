package com.returnbridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.returnbridge.connection.StatusAction;
import com.returnbridge.connection.StatusPolicy;
import com.returnbridge.support.Tries;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Status normalisation and the decision policy, over every mapping and every receipt count: seeded tries (the seed
 * is in each try's name; {@code -Dtries.seed=<seed>} replays one).
 */
@ExtendWith(Tries.NameTheSeed.class)
class DecisionPropertiesTest {

    private static final List<String> DEFAULT_STATUSES = List.of("Warehouse Complete", "Complete", "Issue", "Damaged",
            "Pending", "RTS");

    static Stream<Long> tries300() {
        return Tries.seeds(300);
    }

    static Stream<Long> tries500() {
        return Tries.seeds(500);
    }

    static Stream<Long> tries2000() {
        return Tries.seeds(2000);
    }

    // ---------------------------------------------------------------- normalisation

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("tries500")
    void everySpellingOfAStatusMapsLikeTheStatus(long seed) {
        Random random = new Random(seed);
        String status = defaultStatus(random);
        String variant = respell(status, random.nextLong());
        StatusPolicy policy = StatusPolicy.defaults();
        assertThat(StatusPolicy.normalise(variant)).isEqualTo(StatusPolicy.normalise(status));
        assertThat(policy.mapped(variant)).isEqualTo(policy.mapped(status)).isPresent();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("tries500")
    void normaliseIsIdempotentAndKeepsOnlyWhatMatters(long seed) {
        String status = Tries.anyString(new Random(seed), 40);
        String once = StatusPolicy.normalise(status);
        assertThat(StatusPolicy.normalise(once)).isEqualTo(once);
        assertThat(once).doesNotContain(" ", "_", "-").isEqualTo(once.toLowerCase(Locale.ROOT));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("tries300")
    void differentLettersNeverMeet(long seed) {
        Random random = new Random(seed);
        String a = defaultStatus(random);
        String b = defaultStatus(random);
        assertThat(StatusPolicy.normalise(a).equals(StatusPolicy.normalise(b))).isEqualTo(a.equals(b));
    }

    // ---------------------------------------------------------------- decision: mapping × receipt counts

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("tries2000")
    void decisionFollowsTheMappingAndTheCounts(long seed) {
        Random random = new Random(seed);
        StatusPolicy policy = policy(random);
        String status = anyStatus(random);
        List<WarehouseApi.LineState> lines = lines(random);
        int expected = lines.stream().mapToInt(WarehouseApi.LineState::expected).sum();
        int received = lines.stream().mapToInt(WarehouseApi.LineState::received).sum();
        WarehouseApi.RmaSnapshot rma = new WarehouseApi.RmaSnapshot("id", 1L, "p", status, expected, received, lines);
        Decision decision = Decision.of(policy, rma);

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
            assertThat(Decision.of(policy, new WarehouseApi.RmaSnapshot("id", 1L, "p",
                    status == null ? null : "  " + status.toUpperCase(Locale.ROOT) + " ", expected, received, lines))
                    .key()).isEqualTo(decision.key());
        }
        assertThat(decision.key().length()).isLessThanOrEqualTo(300 + 40);
        if (decision.action() == StatusAction.FLAG) {
            assertThat(decision.note(rma).length()).isLessThan(255);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("tries500")
    void aChangeOfCountsIsANewDecision(long seed) {
        Random random = new Random(seed);
        String status = defaultStatus(random);
        int expected = Tries.between(random, 1, 50);
        int a = Tries.between(random, 0, 50);
        // equal counts must be tried often, not once in fifty
        int b = random.nextInt(4) == 0 ? a : Tries.between(random, 0, 50);
        StatusPolicy policy = StatusPolicy.defaults();
        var ra = new WarehouseApi.RmaSnapshot("id", 1L, "p", status, expected, a,
                List.of(new WarehouseApi.LineState("S", expected, a)));
        var rb = new WarehouseApi.RmaSnapshot("id", 1L, "p", status, expected, b,
                List.of(new WarehouseApi.LineState("S", expected, b)));
        assertThat(Decision.of(policy, ra).key().equals(Decision.of(policy, rb).key()))
                .isEqualTo(a == b);
    }

    // ---------------------------------------------------------------- generators

    private static String defaultStatus(Random random) {
        return Tries.oneOf(random, DEFAULT_STATUSES);
    }

    /** A default status, respelled or not, any string, a few real-looking others, or (1 in 20) null. */
    private static String anyStatus(Random random) {
        if (random.nextInt(20) == 0) {
            return null;
        }
        return Tries.oneOf(random, DecisionPropertiesTest::defaultStatus,
                r -> { String s = defaultStatus(r); return respell(s, s.hashCode()); },
                r -> Tries.anyString(r, 80),
                r -> Tries.oneOf(r, List.of("Missing Inventory", "QA hold", "")));
    }

    private static StatusPolicy policy(Random random) {
        return new StatusPolicy(subset(random), subset(random), subset(random),
                Tries.oneOf(random, List.of(StatusAction.values())));
    }

    /** Up to three distinct default statuses. */
    private static List<String> subset(Random random) {
        List<String> pool = new ArrayList<>(DEFAULT_STATUSES);
        java.util.Collections.shuffle(pool, random);
        return List.copyOf(pool.subList(0, random.nextInt(4)));
    }

    private static List<WarehouseApi.LineState> lines(Random random) {
        List<WarehouseApi.LineState> lines = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            lines.add(new WarehouseApi.LineState(Tries.oneOf(random, List.of("TEE", "CAP", "SOCK")),
                    Tries.between(random, 0, 5), Tries.between(random, 0, 6)));
        }
        return lines;
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
