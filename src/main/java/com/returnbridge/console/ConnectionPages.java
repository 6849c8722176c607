package com.returnbridge.console;

import com.returnbridge.backfill.Backfills;
import com.returnbridge.bridge.NotFound;
import com.returnbridge.bridge.OperatorActions;
import com.returnbridge.connection.Connection;
import com.returnbridge.vendor.VendorCallLog;
import com.returnbridge.monitor.ConnectionActivity;
import com.returnbridge.monitor.ConnectionCounts;
import com.returnbridge.monitor.ConnectionHealth;
import com.returnbridge.monitor.ShipHeroWebhookCheck;
import com.returnbridge.onboarding.ConnectReport;
import com.returnbridge.onboarding.Onboarding;
import java.security.Principal;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The connections list and a connection's page: its health, events and vendor calls, the status mapping editor,
 * Connect and what it asks to choose, pause and resume, and the bulk actions (retry, replay the unreadable, delete).
 */
@Controller
class ConnectionPages implements ConsolePage {

    private final ConnectionService connections;
    private final Onboarding onboarding;
    private final ConsoleQueries queries;
    private final ConnectionActivity activity;
    private final ConnectionHealth health;
    private final ShipHeroWebhookCheck webhookCheck;
    private final OperatorActions actions;
    private final DeliveryReplay replay;
    private final VendorCallLog calls;
    private final Backfills backfills;
    private final ConsoleSandbox sandbox;

    ConnectionPages(ConnectionService connections, Onboarding onboarding, ConsoleQueries queries,
                    ConnectionActivity activity, ConnectionHealth health, ShipHeroWebhookCheck webhookCheck,
                    OperatorActions actions, DeliveryReplay replay, VendorCallLog calls, Backfills backfills,
                    ConsoleSandbox sandbox) {
        this.connections = connections;
        this.onboarding = onboarding;
        this.queries = queries;
        this.activity = activity;
        this.health = health;
        this.webhookCheck = webhookCheck;
        this.actions = actions;
        this.replay = replay;
        this.calls = calls;
        this.backfills = backfills;
        this.sandbox = sandbox;
    }

    @GetMapping("/connections")
    String connectionsPage(Model model) {
        model.addAttribute("connections", connections.views());
        return "connections";
    }

    @GetMapping("/connections/{id}")
    String connectionPage(@PathVariable String id, @RequestParam(defaultValue = "false") boolean failedCalls,
                          Model model) {
        ConnectionView v = connections.view(id).orElseThrow(() -> new NotFound("no connection " + id));
        Connection c = connections.connection(id);
        model.addAttribute("c", v);
        ConnectionCounts counts = activity.counts(id);
        model.addAttribute("counts", counts);
        model.addAttribute("rejections", health.rejections(id));
        model.addAttribute("unreadable", health.unreadable(id, ConnectionHealth.UNREADABLE_LISTED));
        model.addAttribute("shipheroWebhook", health.shipheroWebhook(counts));
        model.addAttribute("unmappedSeen", queries.unmappedStatusesSeen(c));
        model.addAttribute("lastFullSweep", queries.lastFullSweep(id));
        model.addAttribute("events", queries.connectionEvents(id, 15));
        model.addAttribute("failedCalls", failedCalls);
        model.addAttribute("calls", calls.recent(id, failedCalls, 25));
        model.addAttribute("pause", connections.view(id).map(ConnectionView::paused).orElse(false));
        model.addAttribute("sandboxConnection", sandbox.hosts(c));
        model.addAttribute("receiptRules", List.of("all_units", "any_unit", "status_only", "per_item"));
        model.addAttribute("actionsList", List.of("process", "flag", "ignore"));
        model.addAttribute("runs", BackfillPages.runs(backfills, id));
        return "connection";
    }

    @PostMapping("/connections/{id}/mapping")
    String mapping(@PathVariable String id, @RequestParam(defaultValue = "") String process,
                   @RequestParam(defaultValue = "") String flag, @RequestParam(defaultValue = "") String ignore,
                   @RequestParam String unmapped, @RequestParam String closeStatus, @RequestParam String receiptRule,
                   @RequestParam(required = false) String problemConditions, Principal who, RedirectAttributes flash) {
        try {
            connections.updateMapping(id, List.of(process), List.of(flag), List.of(ignore), unmapped, closeStatus,
                    receiptRule, problemConditions == null ? null : List.of(problemConditions), who.getName());
            flash.addFlashAttribute("message", "status mapping saved; the next decision follows it");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/connections/" + id;
    }

    // ---------------------------------------------------------------- Connect and what it asks to choose

    @PostMapping("/connections/{id}/connect")
    String connect(@PathVariable String id, Principal who, RedirectAttributes flash) {
        ConnectReport report = onboarding.connect(id,
                ServletUriComponentsBuilder.fromCurrentContextPath().toUriString(), who.getName());
        flash.addFlashAttribute("report", report);
        return "redirect:/connections/" + id;
    }

    @PostMapping("/connections/{id}/webhook-check")
    String checkWebhook(@PathVariable String id, RedirectAttributes flash) {
        ShipHeroWebhookCheck.Result r = webhookCheck.check(connections.connection(id));
        String text = "ShipHero webhook check: " + r.verdict() + " — " + r.detail();
        flash.addFlashAttribute("REGISTERED".equals(r.verdict()) ? "message" : "error", text);
        return "redirect:/connections/" + id;
    }

    @PostMapping("/connections/{id}/warehouse")
    String chooseWarehouse(@PathVariable String id, @RequestParam String warehouseId,
                           @RequestParam(required = false) String customerAccountId, Principal who,
                           RedirectAttributes flash) {
        ConnectionView v = connections.view(id).orElseThrow(() -> new NotFound("no connection " + id));
        connections.update(id, new ConnectionInput(id, null, null, null, null, null, null, null,
                customerAccountId == null ? v.customerAccountId() : customerAccountId, warehouseId, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null), who.getName());
        flash.addFlashAttribute("message", "warehouse chosen; run Connect again to register the webhooks on it");
        return "redirect:/connections/" + id;
    }

    @PostMapping("/connections/{id}/shop-name")
    String chooseShopName(@PathVariable String id, @RequestParam(defaultValue = "") String shopName, Principal who,
                          RedirectAttributes flash) {
        try {
            ConnectionView v = connections.setShopName(id, shopName, who.getName());
            flash.addFlashAttribute("message", v.shipheroShopName() == null
                    ? "ShipHero shop name cleared: orders are looked for in every store"
                    : "ShipHero shop name set to " + v.shipheroShopName());
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/connections/" + id;
    }

    // ---------------------------------------------------------------- pause, resume and bulk actions

    @PostMapping("/connections/{id}/pause")
    String pause(@PathVariable String id, Principal who, RedirectAttributes flash) {
        flash.addFlashAttribute("message", actions.pause(id, who.getName()).message());
        return "redirect:/connections/" + id;
    }

    @PostMapping("/connections/{id}/resume")
    String resume(@PathVariable String id, Principal who, RedirectAttributes flash) {
        flash.addFlashAttribute("message", actions.resume(id, who.getName()).message());
        return "redirect:/connections/" + id;
    }

    @PostMapping("/connections/{id}/retry-attention")
    String retryAttention(@PathVariable String id, Principal who, RedirectAttributes flash) {
        flash.addFlashAttribute("message", actions.retryAllNeedingAttention(id, who.getName()).message());
        return "redirect:/connections/" + id;
    }

    @PostMapping("/connections/{id}/deliveries/replay-unreadable")
    String replayUnreadable(@PathVariable String id, Principal who, RedirectAttributes flash) {
        connections.view(id).orElseThrow(() -> new NotFound("no connection " + id));
        flash.addFlashAttribute("message", replay.replayUnreadable(id, who.getName()).message());
        return "redirect:/connections/" + id;
    }

    @PostMapping("/connections/{id}/delete")
    String delete(@PathVariable String id, Principal who, RedirectAttributes flash) {
        flash.addFlashAttribute("message", connections.delete(id, who.getName()) ? "connection " + id + " deleted"
                : "only connections stored in the database can be deleted here");
        return "redirect:/connections";
    }
}
