package com.returnbridge.console;

import com.returnbridge.grading.GradingSettings;
import com.returnbridge.grading.Gradings;
import java.security.Principal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The grading tables in the connection page's mapping editor, saved on their own (the status mapping keeps its form).
 * What the page shows of them, and of the restock guard, comes from {@link GradingModel}.
 */
@Controller
class GradingPages implements ConsolePage {

    private final ConnectionService connections;
    private final Gradings gradings;

    GradingPages(ConnectionService connections, Gradings gradings) {
        this.connections = connections;
        this.gradings = gradings;
    }

    @PostMapping("/connections/{id}/grading")
    String save(@PathVariable String id, @RequestParam(defaultValue = "false") boolean enabled,
                @RequestParam(defaultValue = "") String conditions, @RequestParam(defaultValue = "") String unmapped,
                @RequestParam(defaultValue = "") String restocked, @RequestParam(defaultValue = "") String notRestocked,
                @RequestParam(defaultValue = "") String missing, Principal who, RedirectAttributes flash) {
        connections.connection(id);
        try {
            GradingSettings settings = GradingSettings.parse(enabled, GradingSettings.parseLines(conditions), unmapped,
                    restocked, notRestocked, missing);
            gradings.save(id, settings, who.getName());
            flash.addFlashAttribute("message", "grading settings saved; grading is " + (enabled ? "on" : "off")
                    + " from the next decision");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/connections/" + id + "#grading";
    }
}
