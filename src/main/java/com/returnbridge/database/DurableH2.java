package com.returnbridge.database;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * An H2 file database keeps commits in memory for up to half a second by default, so a killed process loses
 * deliveries it has already answered 2xx, which the vendors never send again. The service therefore makes every
 * embedded H2 file database durable itself ({@code WRITE_DELAY=0}), whatever URL the operator gives, rather than
 * relying on a URL flag someone must remember. In-memory and server-mode (tcp/ssl) URLs are left alone: nothing
 * survives the first, and the second's durability is its server's setting.
 */
@Component
public class DurableH2 implements BeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(DurableH2.class);
    private static final Pattern WRITE_DELAY = Pattern.compile("(?i);\\s*WRITE_DELAY\\s*=[^;]*");

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null) {
            String url = hikari.getJdbcUrl();
            String durable = durable(url);
            if (!durable.equals(url)) {
                hikari.setJdbcUrl(durable);
                log.info("H2 file database: commits are written to disk before they are answered (WRITE_DELAY=0)");
            }
        }
        return bean;
    }

    /** The URL with {@code WRITE_DELAY=0} when it names an embedded H2 file database; otherwise unchanged. */
    public static String durable(String url) {
        if (!isEmbeddedH2File(url)) {
            return url;
        }
        String withoutDelay = WRITE_DELAY.matcher(url).replaceAll("");
        return withoutDelay + ";WRITE_DELAY=0";
    }

    static boolean isEmbeddedH2File(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("jdbc:h2:")) {
            return false;
        }
        String rest = lower.substring("jdbc:h2:".length());
        return !(rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:")
                || rest.startsWith("zip:"));
    }
}
