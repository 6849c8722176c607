package com.returnbridge.console;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Password logins (console form and HTTP Basic) against the local users, with failures logged (the user name and the
 * address, never the password) and limited per user name and address: after {@code maxFailures} failures the pair is
 * refused without checking the password until the window has refilled, so a password cannot be guessed at speed.
 */
class LoginGuard implements AuthenticationProvider {

    private static final Logger log = LoggerFactory.getLogger(LoginGuard.class);
    /** Pairs remembered at most; the least recently used are forgotten first. */
    private static final int REMEMBERED = 10_000;

    /** Refused because of too many failures; {@code retryAfter} is how long until one more try is allowed. */
    static final class TooManyFailures extends AuthenticationException {
        final Duration retryAfter;

        TooManyFailures(Duration retryAfter) {
            super("too many failed logins; try again in " + Math.max(1, retryAfter.toSeconds()) + " s");
            this.retryAfter = retryAfter;
        }
    }

    private final DaoAuthenticationProvider passwords;
    private final int maxFailures;
    private final Duration window;
    private final Map<String, Bucket> failures = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > REMEMBERED;
        }
    };

    LoginGuard(Users users, PasswordEncoder encoder, int maxFailures, Duration window) {
        this.passwords = new DaoAuthenticationProvider(username -> users.find(username)
                .filter(u -> u.passwordHash() != null)
                .map(u -> User.withUsername(u.username()).password(u.passwordHash()).authorities(u.authorities())
                        .disabled(u.disabled()).build())
                .orElseThrow(() -> new UsernameNotFoundException("no local user")));
        this.passwords.setPasswordEncoder(encoder);
        this.maxFailures = Math.max(1, maxFailures);
        this.window = window;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String username = String.valueOf(authentication.getName());
        String address = authentication.getDetails() instanceof WebAuthenticationDetails d
                ? d.getRemoteAddress() : "unknown";
        String key = username.toLowerCase(Locale.ROOT) + "|" + address;
        Bucket bucket;
        synchronized (failures) {
            bucket = failures.get(key);
        }
        if (bucket != null && bucket.getAvailableTokens() <= 0) {
            Duration wait = Duration.ofNanos(bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill());
            log.warn("login refused for user '{}' from {}: too many failed logins (retry in {} s)", printable(username),
                    address, Math.max(1, wait.toSeconds()));
            throw new TooManyFailures(wait);
        }
        try {
            Authentication done = passwords.authenticate(authentication);
            synchronized (failures) {
                failures.remove(key);
            }
            return done;
        } catch (AuthenticationException e) {
            synchronized (failures) {
                failures.computeIfAbsent(key, k -> Bucket.builder().addLimit(Bandwidth.builder()
                        .capacity(maxFailures).refillGreedy(maxFailures, window).build()).build());
                failures.get(key).tryConsume(1);
            }
            log.warn("login failed for user '{}' from {}: {}", printable(username), address,
                    e.getClass().getSimpleName());
            throw e;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    /** A user name as typed, safe for one log line (no line breaks or control characters, at most 100 characters). */
    static String printable(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 100 ? clean.substring(0, 100) + "…" : clean;
    }
}
