package com.returnbridge.console;

import com.returnbridge.bridge.Conflict;
import com.returnbridge.bridge.NotFound;
import com.returnbridge.connection.Connection;
import com.returnbridge.connection.ConnectionProperties;
import java.security.Principal;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The connection form: a new connection (blank, or for the sandbox), and editing one; secrets are never echoed. */
@Controller
class ConnectionFormPages implements ConsolePage {

    private final ConnectionService connections;
    private final ConsoleSandbox sandbox;

    ConnectionFormPages(ConnectionService connections, ConsoleSandbox sandbox) {
        this.connections = connections;
        this.sandbox = sandbox;
    }

    @GetMapping("/connections/new")
    String newConnection(@RequestParam(defaultValue = "false") boolean sandbox, Model model) {
        Connection.RmaDefaults std = Connection.RmaDefaults.standard();
        ConnectionInput blank = new ConnectionInput("", ConnectionProperties.LoopConfig.DEFAULT_BASE_URL, null, null,
                "https://public-api.shiphero.com", null, null, null, null, null,
                List.of("Warehouse Complete", "Complete"), List.of("Issue", "Damaged"), List.of("Pending", "RTS"),
                "ignore", "Complete", "all_units", std.labelType(), std.labelCost(), std.shippingCarrier(),
                std.shippingMethod(), std.weight(), std.length(), std.width(), std.height(), null);
        if (sandbox) {
            var prefilled = this.sandbox.newConnectionForm(blank);
            if (prefilled.isPresent()) {
                blank = prefilled.get();
                model.addAttribute("sandboxPrefill", true);
            }
        }
        model.addAttribute("form", blank);
        model.addAttribute("creating", true);
        return "connection-form";
    }

    @PostMapping("/connections")
    String create(@ModelAttribute ConnectionInput input, Principal who, RedirectAttributes flash, Model model) {
        try {
            ConnectionView created = connections.create(input, who.getName());
            flash.addFlashAttribute("message", "connection " + created.id() + " created; run Connect next");
            return "redirect:/connections/" + created.id();
        } catch (IllegalArgumentException | Conflict e) {
            model.addAttribute("error", e.getMessage());
            model.addAttribute("form", withoutSecrets(input));
            model.addAttribute("creating", true);
            return "connection-form";
        }
    }

    @GetMapping("/connections/{id}/edit")
    String edit(@PathVariable String id, Model model) {
        ConnectionView v = connections.view(id).orElseThrow(() -> new NotFound("no connection " + id));
        Connection.RmaDefaults d = v.rmaDefaults();
        model.addAttribute("form", new ConnectionInput(v.id(), v.loopBaseUrl(), null, null, v.shipheroBaseUrl(), null,
                null, null, v.customerAccountId(), v.warehouseId(), v.processStatuses(), v.flagStatuses(),
                v.ignoreStatuses(), v.unmappedAction(), v.closeStatus(), v.receiptRule(), d.labelType(), d.labelCost(),
                d.shippingCarrier(), d.shippingMethod(), d.weight(), d.length(), d.width(), d.height(),
                v.shipheroShopName()));
        model.addAttribute("view", v);
        model.addAttribute("creating", false);
        return "connection-form";
    }

    @PostMapping("/connections/{id}")
    String update(@PathVariable String id, @ModelAttribute ConnectionInput input, Principal who,
                  RedirectAttributes flash, Model model) {
        try {
            connections.update(id, input, who.getName());
            flash.addFlashAttribute("message", "connection " + id + " saved");
            return "redirect:/connections/" + id;
        } catch (IllegalArgumentException e) {
            model.addAttribute("error", e.getMessage());
            model.addAttribute("form", withoutSecrets(input));
            model.addAttribute("view", connections.view(id).orElse(null));
            model.addAttribute("creating", false);
            return "connection-form";
        }
    }

    private static ConnectionInput withoutSecrets(ConnectionInput i) {
        return new ConnectionInput(i.id(), i.loopBaseUrl(), null, null, i.shipheroBaseUrl(), null, null, null,
                i.customerAccountId(), i.warehouseId(), i.processStatuses(), i.flagStatuses(), i.ignoreStatuses(),
                i.unmappedAction(), i.closeStatus(), i.receiptRule(), i.rmaLabelType(), i.rmaLabelCost(),
                i.rmaShippingCarrier(), i.rmaShippingMethod(), i.rmaWeight(), i.rmaLength(), i.rmaWidth(),
                i.rmaHeight(), i.shipheroShopName());
    }
}
