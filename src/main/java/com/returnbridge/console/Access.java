package com.returnbridge.console;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Who is asking, for the code that lists things: which connections the person of the current request may read.
 * Roles are checked by path and method ({@link SecurityConfiguration}); a request naming a connection a merchant was
 * not given is refused before it reaches a controller ({@link MerchantScope}); lists use this bean to leave the other
 * connections out ({@link #filter}, {@link #seesAll()} / {@link #connections()} for SQL).
 *
 * <p>Outside a request (jobs, start-up) there is no person and nothing is hidden.
 */
@Component
public class Access {

    /** The authority prefix naming a connection a merchant user may read. */
    static final String CONNECTION = "connection:";

    private final Users users;

    public Access(Users users) {
        this.users = users;
    }

    /** The authorities a person with this role and these connections gets, whatever way they logged in. */
    static List<GrantedAuthority> authorities(Role role, Collection<String> connections) {
        List<GrantedAuthority> out = new ArrayList<>();
        out.add(new SimpleGrantedAuthority(role.authority()));
        if (role == Role.MERCHANT) {
            connections.forEach(c -> out.add(new SimpleGrantedAuthority(CONNECTION + c)));
        }
        return out;
    }

    /** The logged-in person's name, as the timeline and audit write it. */
    public Optional<String> username() {
        Authentication a = person();
        return a == null ? Optional.empty() : Optional.of(a.getName());
    }

    /** The person's role; empty outside a request or for an anonymous visitor. */
    public Optional<Role> role() {
        Authentication a = person();
        if (a == null) {
            return Optional.empty();
        }
        for (Role r : Role.values()) {
            if (a.getAuthorities().stream().anyMatch(g -> r.authority().equals(g.getAuthority()))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** True when the person is a merchant user, limited to {@link #connections()}. */
    public boolean isMerchant() {
        return role().filter(r -> r == Role.MERCHANT).isPresent();
    }

    /** True when nothing is hidden from the caller: a 3PL's own people, and code outside a request. */
    public boolean seesAll() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        if (a == null) {
            return true;
        }
        return role().filter(r -> r != Role.MERCHANT).isPresent();
    }

    /** The connections a merchant user was given (empty for everyone else: check {@link #seesAll()} first). */
    public Set<String> connections() {
        Authentication a = person();
        Set<String> out = new LinkedHashSet<>();
        if (a != null) {
            a.getAuthorities().stream().map(GrantedAuthority::getAuthority).filter(s -> s.startsWith(CONNECTION))
                    .forEach(s -> out.add(s.substring(CONNECTION.length())));
        }
        return out;
    }

    /**
     * The connections the person's lists are limited to: empty when nothing is hidden, else the merchant's own
     * (for SQL: {@code only().orElse(null)} as "no limit", e.g. {@link ConsoleQueries#search}).
     */
    public Optional<Set<String>> only() {
        return seesAll() ? Optional.empty() : Optional.of(connections());
    }

    /** May the person read this connection (its page, returns, deliveries, vendor calls, exports)? */
    public boolean mayRead(String connectionId) {
        return seesAll() || connectionId != null && connections().contains(connectionId);
    }

    /** The items of the connections the person may read, in their order. */
    public <T> List<T> filter(Collection<T> items, Function<T, String> connectionOf) {
        if (seesAll()) {
            return List.copyOf(items);
        }
        Set<String> mine = connections();
        return items.stream().filter(i -> mine.contains(connectionOf.apply(i))).toList();
    }

    /** The zone the console shows this person's times in (their setting; UTC when none, or outside a request). */
    public ZoneId zone() {
        return username().flatMap(users::find).map(Users.User::zone).orElse(Users.UTC);
    }

    private static Authentication person() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        return a == null || a instanceof AnonymousAuthenticationToken || !a.isAuthenticated() ? null : a;
    }
}
