package com.returnbridge.vendor;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A vendor's "wait this long": a {@code Retry-After} header or a message's "try again in 2 seconds". Read as the
 * first number in seconds and kept between 200 ms and 10 minutes, so that a zero cannot make a job spin and a
 * typo cannot park it for a day.
 */
public final class RetryAfter {

    private static final Pattern NUMBER = Pattern.compile("(\\d+(?:\\.\\d+)?)");

    private RetryAfter() {
    }

    /** "2 seconds", "1.5", "30": the first number, in seconds; {@code fallback} when there is none. */
    public static Duration seconds(String text, Duration fallback) {
        if (text == null) {
            return fallback;
        }
        Matcher m = NUMBER.matcher(text);
        if (!m.find()) {
            return fallback;
        }
        long millis = (long) (Double.parseDouble(m.group(1)) * 1000);
        return Duration.ofMillis(Math.min(Math.max(millis, 200), Duration.ofMinutes(10).toMillis()));
    }
}
