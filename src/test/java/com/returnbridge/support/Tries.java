package com.returnbridge.support;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import java.util.function.Function;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Seeded tries for generated-input tests with JUnit 5's own parameterized tests (we do not use jqwik). Each try is
 * one seed, shown in the test's name, so a failure names the seed that made it; {@code -Dtries.seed=<seed>} runs
 * that one try again, alone:
 *
 * <pre>{@code
 * @ExtendWith(Tries.NameTheSeed.class)
 * class SomeTest {
 * static Stream<Long> seeds() { return Tries.seeds(500); }
 *
 * @ParameterizedTest(name = "seed {0}")
 * @MethodSource("seeds")
 * void property(long seed) { Random random = new Random(seed); ... }
 * }</pre>
 */
public final class Tries {

    private Tries() {
    }

    /** A failed try's message starts with its seed and how to replay it (surefire's report shows no display name). */
    public static final class NameTheSeed implements TestExecutionExceptionHandler {
        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
            String name = context.getDisplayName();
            if (!name.startsWith("seed ") || !(failure instanceof AssertionError)) {
                throw failure;
            }
            String seed = name.substring("seed ".length());
            AssertionError named = new AssertionError("[" + name + "; replay with -Dtries.seed=" + seed + "] "
                    + failure.getMessage(), failure);
            named.setStackTrace(failure.getStackTrace());
            throw named;
        }
    }

    /** {@code count} seeds from a fresh base, or only the one given with {@code -Dtries.seed}. */
    public static Stream<Long> seeds(int count) {
        String replay = System.getProperty("tries.seed");
        if (replay != null && !replay.isBlank()) {
            return Stream.of(Long.parseLong(replay.trim()));
        }
        Random base = new Random();
        return LongStream.generate(base::nextLong).limit(count).boxed();
    }

    public static <T> T oneOf(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** A value from one of several generators, chosen evenly. */
    @SafeVarargs
    public static <T> T oneOf(Random random, Function<Random, T>... generators) {
        return generators[random.nextInt(generators.length)].apply(random);
    }

    /** Any string up to {@code maxLength}: ASCII, separators, accented and CJK letters, emoji, controls. */
    public static String anyString(Random random, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder out = new StringBuilder(length);
        while (out.length() < length) {
            switch (random.nextInt(6)) {
                case 0, 1 -> out.append((char) (' ' + random.nextInt(95)));
                case 2 -> out.append(" _-\t\n".charAt(random.nextInt(5)));
                case 3 -> out.append((char) (0xC0 + random.nextInt(0x180)));
                case 4 -> out.append((char) (0x4E00 + random.nextInt(0x5000)));
                default -> out.appendCodePoint(random.nextBoolean() ? 0x1F600 + random.nextInt(80) : random.nextInt(32));
            }
        }
        out.setLength(Math.min(out.length(), maxLength)); // an emoji may have gone one char past
        return out.toString();
    }

    /** A uniformly chosen int in {@code [min, max]}. */
    public static int between(Random random, int min, int max) {
        return min + random.nextInt(max - min + 1);
    }
}
