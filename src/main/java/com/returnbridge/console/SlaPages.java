package com.returnbridge.console;

import java.security.Principal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/** The aging queue ({@code /aging}) and the exceptions list ({@code /exceptions}) with its bulk actions. */
@Controller
class SlaPages implements ConsolePage {

    private final SlaViews views;
    private final ConnectionService connections;

    SlaPages(SlaViews views, ConnectionService connections) {
        this.views = views;
        this.connections = connections;
    }

    @GetMapping("/aging")
    String aging(@RequestParam(required = false) String connection, Model model) {
        model.addAttribute("aging", views.aging(views.scope(connection)));
        model.addAttribute("connections", connections.views());
        model.addAttribute("connection", connection == null ? "" : connection);
        return "aging";
    }

    @GetMapping("/exceptions")
    String exceptions(@RequestParam(required = false) String connection, Model model) {
        model.addAttribute("exceptions", views.exceptions(views.scope(connection)));
        model.addAttribute("connections", connections.views());
        model.addAttribute("connection", connection == null ? "" : connection);
        return "exceptions";
    }

    @PostMapping("/exceptions/{kind}/bulk")
    String bulk(@PathVariable String kind, @RequestParam(required = false) String connection,
                @RequestParam(required = false) String reason, Principal who, RedirectAttributes flash) {
        try {
            flash.addFlashAttribute("message", views.bulk(kind, connection, reason, who.getName()).message());
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:" + UriComponentsBuilder.fromPath("/exceptions")
                .queryParamIfPresent("connection", java.util.Optional.ofNullable(connection)).encode().build()
                .toUriString();
    }
}
