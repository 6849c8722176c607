package com.returnbridge.console;

import com.returnbridge.bridge.Conflict;
import com.returnbridge.bridge.NotFound;
import java.security.Principal;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The Users page (admin: create, change, delete users) and each person's own profile (time zone, API tokens). */
@Controller
class UserPages implements ConsolePage {

    private static final Logger audit = LoggerFactory.getLogger("com.returnbridge.audit");
    /** The zones offered, sorted; any other valid IANA id may be typed too. */
    private static final List<String> ZONES = ZoneId.getAvailableZoneIds().stream()
            .filter(z -> z.contains("/") && !z.startsWith("Etc/") && !z.startsWith("SystemV/")).sorted().toList();

    private final Users users;
    private final ApiTokens tokens;
    private final ConnectionService connections;

    UserPages(Users users, ApiTokens tokens, ConnectionService connections) {
        this.users = users;
        this.tokens = tokens;
        this.connections = connections;
    }

    @GetMapping("/users")
    String usersPage(Model model) {
        model.addAttribute("users", users.all());
        model.addAttribute("roles", Arrays.stream(Role.values()).map(Role::label).toList());
        model.addAttribute("connections", connections.views());
        model.addAttribute("zones", ZONES);
        return "users";
    }

    @PostMapping("/users")
    String create(@RequestParam String username, @RequestParam String password, @RequestParam String role,
                  @RequestParam(required = false) List<String> connections,
                  @RequestParam(defaultValue = "") String timeZone, Principal who, RedirectAttributes flash) {
        try {
            Users.User u = users.create(new Users.Input(username, password, role, connections, timeZone, null),
                    who.getName());
            audit.info("user {} ({}) created by {}", u.username(), u.role().label(), who.getName());
            flash.addFlashAttribute("message", "user " + u.username() + " created (" + u.role().label() + ")");
        } catch (IllegalArgumentException | Conflict e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/users";
    }

    @PostMapping("/users/{username}")
    String update(@PathVariable String username, @RequestParam String role,
                  @RequestParam(required = false) List<String> connections,
                  @RequestParam(defaultValue = "") String timeZone,
                  @RequestParam(defaultValue = "false") boolean disabled,
                  @RequestParam(defaultValue = "") String password, Principal who, RedirectAttributes flash) {
        try {
            users.update(username, new Users.Input(null, password.isEmpty() ? null : password, role,
                    connections == null ? List.of() : connections, timeZone, disabled));
            audit.info("user {} changed by {}", username, who.getName());
            flash.addFlashAttribute("message", "user " + username + " saved");
        } catch (IllegalArgumentException | Conflict | NotFound e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/users";
    }

    @PostMapping("/users/{username}/delete")
    String delete(@PathVariable String username, Principal who, RedirectAttributes flash) {
        try {
            boolean deleted = users.delete(username);
            if (deleted) {
                audit.info("user {} deleted by {}", username, who.getName());
            }
            flash.addFlashAttribute("message", deleted ? "user " + username + " deleted" : "no user " + username);
        } catch (Conflict e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/users";
    }

    // ---------------------------------------------------------------- one's own profile

    @GetMapping("/profile")
    String profile(Principal who, Model model) {
        model.addAttribute("me", users.find(who.getName()).orElse(null));
        model.addAttribute("tokens", tokens.list(who.getName()));
        model.addAttribute("zones", ZONES);
        return "profile";
    }

    @PostMapping("/profile/time-zone")
    String timeZone(@RequestParam(defaultValue = "") String timeZone, Principal who, RedirectAttributes flash) {
        try {
            Users.User u = users.setTimeZone(who.getName(), timeZone);
            flash.addFlashAttribute("message", "times are shown in " + u.zone().getId());
        } catch (IllegalArgumentException | NotFound e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/profile";
    }

    @PostMapping("/profile/password")
    String password(@RequestParam(defaultValue = "") String current, @RequestParam(defaultValue = "") String next,
                    Principal who, RedirectAttributes flash) {
        try {
            if (!users.passwordMatches(who.getName(), current)) {
                flash.addFlashAttribute("error", "the current password is not right");
            } else {
                users.update(who.getName(), new Users.Input(null, next, null, null, null, null));
                audit.info("user {} changed their password", who.getName());
                flash.addFlashAttribute("message", "password changed");
            }
        } catch (IllegalArgumentException | NotFound e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/profile";
    }

    @PostMapping("/profile/tokens")
    String createToken(@RequestParam(defaultValue = "") String name, Principal who, RedirectAttributes flash) {
        try {
            ApiTokens.Created t = tokens.create(who.getName(), name);
            audit.info("API token #{} ({}) of {} created by {}", t.id(), t.prefix(), t.username(), who.getName());
            flash.addFlashAttribute("newToken", t.token());
        } catch (IllegalArgumentException | NotFound e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/profile";
    }

    @PostMapping("/profile/tokens/{tokenId}/revoke")
    String revoke(@PathVariable long tokenId, Principal who, RedirectAttributes flash) {
        boolean revoked = tokens.revoke(who.getName(), tokenId);
        if (revoked) {
            audit.info("API token #{} of {} revoked by {}", tokenId, who.getName(), who.getName());
        }
        flash.addFlashAttribute("message", revoked ? "token #" + tokenId + " revoked" : "no token #" + tokenId);
        return "redirect:/profile";
    }
}
