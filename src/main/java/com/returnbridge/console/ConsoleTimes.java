package com.returnbridge.console;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.thymeleaf.context.IExpressionContext;
import org.thymeleaf.dialect.AbstractDialect;
import org.thymeleaf.dialect.IExpressionObjectDialect;
import org.thymeleaf.expression.IExpressionObjectFactory;

/**
 * How every console page shows a time: {@code ${#times.format(t)}} in the zone of the person looking (their setting,
 * {@link Access#zone()}; UTC when none), with the zone named, e.g. {@code 2026-12-01 23:10:05 CET}. Times are kept and
 * answered by the API in UTC; only the console converts them, here.
 */
@Component
class ConsoleTimes extends AbstractDialect implements IExpressionObjectDialect {

    private final Access access;

    ConsoleTimes(Access access) {
        super("returnbridge-times");
        this.access = access;
    }

    @Override
    public IExpressionObjectFactory getExpressionObjectFactory() {
        return new IExpressionObjectFactory() {
            @Override
            public Set<String> getAllExpressionObjectNames() {
                return Set.of("times");
            }

            @Override
            public Object buildObject(IExpressionContext context, String name) {
                return new Times(access.zone());
            }

            @Override
            public boolean isCacheable(String name) {
                return true; // one per page rendered: the zone is looked up once
            }
        };
    }

    /** Times in one zone, for one page. */
    public static final class Times {
        private static final String SECONDS = "yyyy-MM-dd HH:mm:ss";
        private final ZoneId zone;

        Times(ZoneId zone) {
            this.zone = zone;
        }

        /** {@code yyyy-MM-dd HH:mm:ss} and the zone's short name; empty for null. */
        public String format(Object time) {
            return format(time, SECONDS);
        }

        /** The pattern, then the zone's short name; empty for null. */
        public String format(Object time, String pattern) {
            ZonedDateTime t = zoned(time);
            if (t == null) {
                return "";
            }
            return t.format(DateTimeFormatter.ofPattern(pattern, Locale.ROOT)) + " " + t.format(
                    DateTimeFormatter.ofPattern("zzz", Locale.ROOT));
        }

        /** The zone's id as the person chose it ({@code Europe/Paris}, or {@code UTC}). */
        public String zone() {
            return zone.getId();
        }

        /** The zone's full name, e.g. {@code Central European Time}. */
        public String zoneName() {
            return zone.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
        }

        private ZonedDateTime zoned(Object time) {
            if (time instanceof OffsetDateTime o) {
                return o.atZoneSameInstant(zone);
            }
            if (time instanceof Instant i) {
                return i.atZone(zone);
            }
            if (time instanceof ZonedDateTime z) {
                return z.withZoneSameInstant(zone);
            }
            if (time instanceof LocalDateTime l) {
                // the service keeps local date-times in UTC
                return l.atOffset(ZoneOffset.UTC).atZoneSameInstant(zone);
            }
            if (time instanceof TemporalAccessor t) {
                return Instant.from(t).atZone(zone);
            }
            return null;
        }
    }
}
