package com.returnbridge.console;

import com.returnbridge.bridge.Conflict;
import com.returnbridge.bridge.NotFound;
import com.returnbridge.connection.Connections;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The people who log in (table {@code app_user}): local users with a password hash, and people who came by single
 * sign-on (no password; their role and connections are taken from the provider's claims at each login).
 */
@Repository
public class Users {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}");
    static final int MIN_PASSWORD = 10;
    /** The console's zone for a person who chose none (named "UTC" on the page). */
    static final ZoneId UTC = ZoneId.of("UTC");

    /** One person. {@code connections}: what a merchant may see (empty for the other roles). */
    public record User(String username, String passwordHash, Role role, List<String> connections, String timeZone,
                       String source, OffsetDateTime createdAt, String createdBy, OffsetDateTime disabledAt) {

        public boolean disabled() {
            return disabledAt != null;
        }

        public ZoneId zone() {
            return zoneOrUtc(timeZone);
        }

        /** The Spring Security authorities: the role, and for a merchant one per connection ({@link Access}). */
        public List<GrantedAuthority> authorities() {
            return Access.authorities(role, connections);
        }
    }

    /** What an admin sends to create or change a user; null leaves a value as it is (on a change). */
    public record Input(String username, String password, String role, List<String> connections, String timeZone,
                        Boolean disabled) {
    }

    private final JdbcClient jdbc;
    private final PasswordEncoder encoder;
    private final Connections connectionsKnown;
    private final Clock clock;

    public Users(JdbcClient jdbc, PasswordEncoder encoder, Connections connectionsKnown, Clock clock) {
        this.jdbc = jdbc;
        this.encoder = encoder;
        this.connectionsKnown = connectionsKnown;
        this.clock = clock;
    }

    public Optional<User> find(String username) {
        if (username == null) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT * FROM app_user WHERE username = ?").param(username).query(Users::row).optional();
    }

    public List<User> all() {
        return jdbc.sql("SELECT * FROM app_user ORDER BY username").query(Users::row).list();
    }

    @Transactional
    public User create(Input in, String by) {
        String username = in.username() == null ? "" : in.username().trim();
        if (!USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("username must be 1-100 characters: letters, digits and . _ @ + -");
        }
        if ("me".equals(username)) {
            throw new IllegalArgumentException("username 'me' is kept for the API's own-profile address");
        }
        if (find(username).isPresent()) {
            throw new Conflict("user " + username + " already exists");
        }
        Role role = Role.parse(in.role());
        List<String> connections = checkConnections(role, in.connections());
        String zone = checkZone(in.timeZone());
        jdbc.sql("""
                INSERT INTO app_user (username, password_hash, role, connections, time_zone, source, created_at,
                                      created_by) VALUES (?, ?, ?, ?, ?, 'LOCAL', ?, ?)""")
                .params(username, encoder.encode(checkPassword(in.password())), role.name(),
                        String.join(",", connections), zone, now(), by).update();
        return find(username).orElseThrow();
    }

    /** Changes what is given (role, connections, time zone, password, disabled); the rest stays. */
    @Transactional
    public User update(String username, Input in) {
        User u = find(username).orElseThrow(() -> new NotFound("no user " + username));
        Role role = in.role() == null ? u.role() : Role.parse(in.role());
        List<String> connections = checkConnections(role, in.connections() != null ? in.connections()
                : role == Role.MERCHANT ? u.connections() : List.of());
        if (u.role() == Role.ADMIN && role != Role.ADMIN || Boolean.TRUE.equals(in.disabled())) {
            requireAnotherAdmin(u);
        }
        String zone = in.timeZone() == null ? u.timeZone() : checkZone(in.timeZone());
        String hash = in.password() == null ? u.passwordHash() : encoder.encode(checkPassword(in.password()));
        OffsetDateTime disabled = in.disabled() == null ? u.disabledAt()
                : in.disabled() ? (u.disabledAt() == null ? now() : u.disabledAt()) : null;
        jdbc.sql("""
                UPDATE app_user SET role = ?, connections = ?, time_zone = ?, password_hash = ?, disabled_at = ?
                 WHERE username = ?""")
                .params(role.name(), String.join(",", connections), zone, hash, disabled, username).update();
        return find(username).orElseThrow();
    }

    /** The local user's password is this one (false for a single sign-on user, who has none here). */
    public boolean passwordMatches(String username, String raw) {
        return find(username).map(User::passwordHash).filter(h -> raw != null && encoder.matches(raw, h))
                .isPresent();
    }

    public User setTimeZone(String username, String zone) {
        return update(username, new Input(null, null, null, null, zone == null ? "" : zone, null));
    }

    @Transactional
    public boolean delete(String username) {
        Optional<User> u = find(username);
        if (u.isEmpty()) {
            return false;
        }
        if (u.get().role() == Role.ADMIN) {
            requireAnotherAdmin(u.get());
        }
        return jdbc.sql("DELETE FROM app_user WHERE username = ?").param(username).update() == 1;
    }

    /**
     * The account from {@code returnbridge.admin.*}: created when missing, its password and the admin role set from
     * the settings at every start, so the settings always open the console.
     */
    public void ensureAdmin(String username, String password) {
        String hash = encoder.encode(password);
        String update = "UPDATE app_user SET password_hash = ?, role = 'ADMIN', disabled_at = NULL, source = 'LOCAL' "
                + "WHERE username = ?";
        if (jdbc.sql(update).params(hash, username).update() == 1) {
            return;
        }
        try {
            jdbc.sql("""
                    INSERT INTO app_user (username, password_hash, role, connections, source, created_at, created_by)
                    VALUES (?, ?, 'ADMIN', '', 'LOCAL', ?, 'returnbridge.admin settings')""")
                    .params(username, hash, now()).update();
        } catch (DuplicateKeyException e) {
            // another instance starting at the same time inserted it first
            jdbc.sql(update).params(hash, username).update();
        }
    }

    /**
     * A person who logged in by single sign-on: their row is created or brought up to date with what the provider
     * says now (role, connections); their time zone stays theirs. A local user of the same name is not taken over.
     */
    @Transactional
    public User signedOn(String username, Role role, List<String> connections) {
        Optional<User> existing = find(username);
        String joined = String.join(",", role == Role.MERCHANT ? connections : List.of());
        if (existing.isPresent()) {
            if (!"SSO".equals(existing.get().source())) {
                throw new Conflict("a local user named " + username + " exists; single sign-on may not take it over");
            }
            jdbc.sql("UPDATE app_user SET role = ?, connections = ? WHERE username = ?")
                    .params(role.name(), joined, username).update();
        } else {
            jdbc.sql("""
                    INSERT INTO app_user (username, role, connections, source, created_at, created_by)
                    VALUES (?, ?, ?, 'SSO', ?, 'single sign-on')""").params(username, role.name(), joined, now())
                    .update();
        }
        return find(username).orElseThrow();
    }

    // ---------------------------------------------------------------- checks

    private void requireAnotherAdmin(User u) {
        long others = jdbc.sql("SELECT COUNT(*) FROM app_user WHERE role = 'ADMIN' AND disabled_at IS NULL "
                + "AND username <> ?").param(u.username()).query(Long.class).single();
        if (others == 0) {
            throw new Conflict(u.username() + " is the only admin: make another admin first");
        }
    }

    private static String checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD) {
            throw new IllegalArgumentException("password must have at least " + MIN_PASSWORD + " characters");
        }
        if (password.length() > 200) {
            throw new IllegalArgumentException("password must have at most 200 characters");
        }
        return password;
    }

    private List<String> checkConnections(Role role, Collection<String> given) {
        List<String> ids = given == null ? List.of() : given.stream().filter(s -> s != null && !s.isBlank())
                .flatMap(s -> Arrays.stream(s.split(","))).map(String::trim).filter(s -> !s.isEmpty())
                .distinct().toList();
        if (role != Role.MERCHANT) {
            if (!ids.isEmpty()) {
                throw new IllegalArgumentException("connections apply to merchant users only: an " + role.label()
                        + " sees every connection");
            }
            return List.of();
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("a merchant user needs at least one connection");
        }
        List<String> unknown = ids.stream().filter(id -> connectionsKnown.find(id).isEmpty()).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no connection " + String.join(", ", unknown));
        }
        return ids;
    }

    /** A zone id Java knows (blank: UTC), normalised; an IllegalArgumentException otherwise. */
    static String checkZone(String zone) {
        if (zone == null || zone.isBlank()) {
            return null;
        }
        try {
            return ZoneId.of(zone.trim()).getId();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + cut(zone) + "': use an IANA name such as "
                    + "Europe/Paris or America/New_York");
        }
    }

    static ZoneId zoneOrUtc(String zone) {
        try {
            return zone == null || zone.isBlank() ? UTC : ZoneId.of(zone);
        } catch (DateTimeException e) {
            return UTC;
        }
    }

    private static String cut(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static User row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        String joined = rs.getString("connections");
        List<String> connections = joined == null || joined.isBlank() ? List.of()
                : new ArrayList<>(new LinkedHashSet<>(Arrays.asList(joined.split(","))));
        return new User(rs.getString("username"), rs.getString("password_hash"), Role.valueOf(rs.getString("role")),
                List.copyOf(connections), rs.getString("time_zone"), rs.getString("source"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getString("created_by"),
                rs.getObject("disabled_at", OffsetDateTime.class));
    }
}
