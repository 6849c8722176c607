package com.returnbridge.console;

import com.returnbridge.bridge.NotFound;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Users and their API tokens. Creating, listing and deleting users is the admin's; each person may read and change
 * their own time zone and password and manage their own tokens ({@code me} names the caller).
 */
@RestController
@RequestMapping("/api/users")
@Tag(name = "Users", description = "people who log in, their roles, time zones and API tokens")
public class UsersApiController {

    private static final Logger audit = LoggerFactory.getLogger("com.returnbridge.audit");

    /** A user as answered: never the password hash. {@code timeZone} null: UTC. */
    public record UserView(String username, String role, List<String> connections, String timeZone, String source,
                           String createdAt, String createdBy, boolean disabled) {
        static UserView of(Users.User u) {
            return new UserView(u.username(), u.role().label(), u.connections(), u.timeZone(), u.source(),
                    u.createdAt().toString(), u.createdBy(), u.disabled());
        }
    }

    public record TokenInput(String name) {
    }

    private final Users users;
    private final ApiTokens tokens;
    private final Access access;

    public UsersApiController(Users users, ApiTokens tokens, Access access) {
        this.users = users;
        this.tokens = tokens;
        this.access = access;
    }

    @PostMapping
    @Operation(summary = "Create a local user (admin): username, password (10 characters or more), role (admin, "
            + "operator, viewer, merchant), connections (a merchant's, required for it), timeZone (IANA, optional)")
    public ResponseEntity<UserView> create(@RequestBody Users.Input input, Principal who) {
        Users.User u = users.create(input, who.getName());
        audit.info("user {} ({}) created by {}", u.username(), u.role().label(), who.getName());
        return ResponseEntity.status(HttpStatus.CREATED).body(UserView.of(u));
    }

    @GetMapping
    @Operation(summary = "Every user (admin)")
    public List<UserView> list() {
        return users.all().stream().map(UserView::of).toList();
    }

    @GetMapping("/{username}")
    @Operation(summary = "One user (admin), or yourself as /api/users/me")
    public UserView get(@PathVariable String username, Principal who) {
        return UserView.of(users.find(name(username, who)).orElseThrow(() -> new NotFound("no user " + username)));
    }

    @PutMapping("/{username}")
    @Operation(summary = "Change a user: role, connections, timeZone, password, disabled (admin); yourself (me): "
            + "timeZone and password only. Absent fields stay as they are.")
    public ResponseEntity<?> update(@PathVariable String username, @RequestBody Users.Input input, Principal who) {
        String name = name(username, who);
        boolean admin = access.role().filter(r -> r == Role.ADMIN).isPresent();
        if (!admin && (input.role() != null || input.connections() != null || input.disabled() != null)) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN)
                    .body(Map.of("error", "only an admin changes roles, connections and whether a user is disabled"));
        }
        Users.User u = users.update(name, new Users.Input(null, input.password(), input.role(), input.connections(),
                input.timeZone(), input.disabled()));
        audit.info("user {} changed by {} ({})", name, who.getName(), changed(input));
        return ResponseEntity.ok(UserView.of(u));
    }

    @DeleteMapping("/{username}")
    @Operation(summary = "Delete a user and their tokens (admin); the only admin cannot be deleted (409)")
    public ResponseEntity<?> delete(@PathVariable String username, Principal who) {
        if (!users.delete(username)) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no user " + username));
        }
        audit.info("user {} deleted by {}", username, who.getName());
        return ResponseEntity.noContent().build();
    }

    // ---------------------------------------------------------------- tokens

    @PostMapping("/{username}/tokens")
    @Operation(summary = "Create an API token (Bearer on /api, with the user's role): the token is in this answer "
            + "only, it is kept hashed")
    public ResponseEntity<ApiTokens.Created> createToken(@PathVariable String username,
                                                         @RequestBody(required = false) TokenInput input,
                                                         Principal who) {
        ApiTokens.Created created = tokens.create(name(username, who), input == null ? null : input.name());
        audit.info("API token #{} ({}) of {} created by {}", created.id(), created.prefix(), created.username(),
                who.getName());
        return ResponseEntity.status(HttpStatus.CREATED).body(created);
    }

    @GetMapping("/{username}/tokens")
    @Operation(summary = "The user's API tokens (never the tokens themselves): name, prefix, created, last used, "
            + "revoked")
    public List<ApiTokens.Token> tokens(@PathVariable String username, Principal who) {
        String name = name(username, who);
        users.find(name).orElseThrow(() -> new NotFound("no user " + username));
        return tokens.list(name);
    }

    @DeleteMapping("/{username}/tokens/{tokenId}")
    @Operation(summary = "Revoke an API token: it answers 401 from now on")
    public ResponseEntity<?> revoke(@PathVariable String username, @PathVariable long tokenId, Principal who) {
        String name = name(username, who);
        if (!tokens.revoke(name, tokenId)) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no token " + tokenId + " of "
                    + name));
        }
        audit.info("API token #{} of {} revoked by {}", tokenId, name, who.getName());
        return ResponseEntity.noContent().build();
    }

    private static String name(String username, Principal who) {
        return "me".equals(username) ? who.getName() : username;
    }

    private static String changed(Users.Input in) {
        StringBuilder s = new StringBuilder();
        if (in.role() != null) {
            s.append("role ").append(in.role()).append(' ');
        }
        if (in.connections() != null) {
            s.append("connections ").append(in.connections()).append(' ');
        }
        if (in.timeZone() != null) {
            s.append("time zone ").append(in.timeZone()).append(' ');
        }
        if (in.password() != null) {
            s.append("password ");
        }
        if (in.disabled() != null) {
            s.append(in.disabled() ? "disabled " : "enabled ");
        }
        return s.toString().trim();
    }
}
