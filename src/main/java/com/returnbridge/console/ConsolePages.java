package com.returnbridge.console;

import com.returnbridge.backfill.Backfills;
import com.returnbridge.bridge.Conflict;
import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.NotFound;
import com.returnbridge.bridge.OperatorActions;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.connection.Connection;
import com.returnbridge.connection.VendorCallLog;
import com.returnbridge.monitor.ConnectionActivity;
import com.returnbridge.monitor.ConnectionCounts;
import com.returnbridge.monitor.ConnectionHealth;
import com.returnbridge.monitor.ShipHeroWebhookCheck;
import com.returnbridge.onboarding.ConnectReport;
import com.returnbridge.onboarding.Onboarding;
import com.returnbridge.sandbox.SandboxConnection;
import com.returnbridge.sandbox.SandboxDemo;
import com.returnbridge.sandbox.loop.SandboxLoop;
import com.returnbridge.sandbox.shiphero.SandboxShipHeroConfiguration;
import java.security.Principal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The operator console: server-rendered pages; forms post here and redirect back with a message. */
@Controller
public class ConsolePages {

    /**
     * One line of a return's merged story. {@code lane}: loop, shiphero, decision, operator, bridge, error. A
     * delivery carries its id and body (for Replay); a vendor call carries what was sent and answered.
     */
    public record StoryLine(OffsetDateTime at, String lane, String kind, String message, Long deliveryId,
                            String body, VendorCallLog.Entry call) {
        StoryLine(OffsetDateTime at, String lane, String kind, String message) {
            this(at, lane, kind, message, null, null, null);
        }
    }

    /** The newest calls shown on a return page; a return normally needs fewer than twenty. */
    static final int CALLS_PER_RETURN = 200;

    private final ConnectionService connections;
    private final ConsoleQueries queries;
    private final OperatorActions actions;
    private final DeliveryReplay replay;
    private final Timeline timeline;
    private final VendorCallLog calls;
    private final Backfills backfills;
    private final ObjectProvider<SandboxDemo> demo;
    private final ObjectProvider<SandboxConnection> sandbox;
    private final String loopReturnUrl;
    private final String shipheroReturnUrl;
    private final ConnectionHealth health;
    private final ShipHeroWebhookCheck webhookCheck;
    private final ConnectionActivity activity;
    private final Onboarding onboarding;

    public ConsolePages(ConnectionService connections, Onboarding onboarding, ConsoleQueries queries,
                        ConnectionActivity activity,
                        OperatorActions actions,
                        DeliveryReplay replay, Timeline timeline, VendorCallLog calls, ConnectionHealth health,
                        ShipHeroWebhookCheck webhookCheck, Backfills backfills, ObjectProvider<SandboxDemo> demo,
                        ObjectProvider<SandboxConnection> sandbox,
                        @Value("${returnbridge.console.loop-return-url:https://admin.loopreturns.com/returns/{id}}")
                        String loopReturnUrl,
                        @Value("${returnbridge.console.shiphero-return-url:https://app.shiphero.com/dashboard/returns/{legacyId}}")
                        String shipheroReturnUrl) {
        this.connections = connections;
        this.queries = queries;
        this.activity = activity;
        this.onboarding = onboarding;
        this.actions = actions;
        this.replay = replay;
        this.timeline = timeline;
        this.calls = calls;
        this.backfills = backfills;
        this.demo = demo;
        this.sandbox = sandbox;
        this.loopReturnUrl = loopReturnUrl;
        this.shipheroReturnUrl = shipheroReturnUrl;
        this.health = health;
        this.webhookCheck = webhookCheck;
    }

    @ModelAttribute("states")
    List<LinkState> states() {
        return Arrays.asList(LinkState.values());
    }

    @ModelAttribute("sandboxEnabled")
    boolean sandboxEnabled() {
        return demo.getIfAvailable() != null;
    }

    @GetMapping("/login")
    String login() {
        return "login";
    }

    // ---------------------------------------------------------------- overview

    @GetMapping("/")
    String overview(Model model) {
        fillOverview(model);
        return "overview";
    }

    @GetMapping("/overview/table")
    String overviewTable(Model model) {
        fillOverview(model);
        return "overview :: table";
    }

    private void fillOverview(Model model) {
        List<ConnectionsApiController.OverviewRow> rows = connections.views().stream()
                .map(v -> ConnectionsApiController.overviewRow(v, activity, health)).toList();
        model.addAttribute("rows", rows);
        model.addAttribute("attention", queries.countByState(LinkState.NEEDS_ATTENTION));
        model.addAttribute("now", OffsetDateTime.now());
    }

    // ---------------------------------------------------------------- returns

    @GetMapping("/returns")
    String returns(@RequestParam(required = false) String connection, @RequestParam(required = false) String state,
                   @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                   @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
                   @RequestParam(defaultValue = "false") boolean unmapped, @RequestParam(required = false) String q,
                   @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "25") int size,
                   Model model) {
        LinkState linkState = state == null || state.isBlank() ? null : LinkState.valueOf(state);
        ConsoleQueries.Page<ReturnLink> found = queries.search(
                new ConsoleQueries.ReturnFilter(connection, linkState, from, to, unmapped, q), Math.max(0, page),
                Math.max(5, Math.min(size, 200)));
        model.addAttribute("page", found);
        model.addAttribute("connections", connections.views());
        model.addAttribute("f", new Filter(connection, state, from, to, unmapped, q, found.size()));
        return "returns";
    }

    /** The filters, echoed into the form and the pagination links. */
    public record Filter(String connection, String state, LocalDate from, LocalDate to, boolean unmapped, String q,
                         int size) {
    }

    @GetMapping("/returns/{id}")
    String returnPage(@PathVariable long id, Model model) {
        ReturnLink link = queries.link(id).orElseThrow(() -> new NotFound("no return " + id));
        fillReturn(link, model);
        return "return";
    }

    @GetMapping("/returns/{id}/story")
    String story(@PathVariable long id, Model model) {
        ReturnLink link = queries.link(id).orElseThrow(() -> new NotFound("no return " + id));
        fillReturn(link, model);
        return "return :: live";
    }

    private void fillReturn(ReturnLink link, Model model) {
        model.addAttribute("link", link);
        model.addAttribute("story", story(link));
        model.addAttribute("jobs", actions.jobsFor(link.id()));
        model.addAttribute("loopUrl", loopReturnUrl.replace("{id}", link.loopReturnId()));
        model.addAttribute("shipheroUrl", link.shipheroLegacyId() == null ? null
                : shipheroReturnUrl.replace("{legacyId}", String.valueOf(link.shipheroLegacyId()))
                .replace("{id}", String.valueOf(link.shipheroReturnId())));
        Optional<Connection> connection = Optional.ofNullable(connectionOrNull(link.connectionId()));
        model.addAttribute("paused", connection.isPresent()
                && connections.view(link.connectionId()).map(ConnectionView::paused).orElse(false));
        model.addAttribute("sandboxConnection", connection.map(this::isSandbox).orElse(false));
        // Several ShipHero orders could be this return's: offer them while the return waits for the choice.
        model.addAttribute("orderChoice", link.state() == LinkState.NEEDS_ATTENTION && link.shipheroReturnId() == null
                ? actions.orderChoice(link.id()).orElse(null) : null);
    }

    private Connection connectionOrNull(String id) {
        try {
            return connections.connection(id);
        } catch (NotFound e) {
            return null;
        }
    }

    List<StoryLine> story(ReturnLink link) {
        List<StoryLine> lines = new ArrayList<>();
        for (Timeline.Entry e : timeline.forLink(link.id())) {
            lines.add(new StoryLine(e.at(), lane(e.kind()), e.kind(), e.message()));
        }
        for (ConsoleQueries.DeliveryRow d : queries.deliveriesFor(link)) {
            lines.add(new StoryLine(d.receivedAt(), d.source().toLowerCase(), "DELIVERY",
                    (d.source().equals("LOOP") ? "Loop" : "ShipHero") + " webhook #" + d.id() + " " + d.topic() + " → "
                            + d.outcome().toLowerCase() + (d.duplicates() > 0 ? " (+" + d.duplicates()
                            + " duplicate(s))" : ""), d.id(), d.body(), null));
        }
        for (VendorCallLog.Entry c : calls.forReturn(link.connectionId(), link.loopReturnId(), CALLS_PER_RETURN)) {
            lines.add(new StoryLine(c.startedAt(), c.failed() ? "error" : c.vendor(), "CALL", describe(c), null, null,
                    c));
        }
        lines.sort(Comparator.comparing(StoryLine::at).thenComparing(l -> l.deliveryId() == null ? 1 : 0));
        return lines;
    }

    /** "ShipHero return_create → 200 in 84 ms", the line a vendor call gets on the timeline. */
    static String describe(VendorCallLog.Entry c) {
        return ("loop".equals(c.vendor()) ? "Loop " : "ShipHero ") + c.operation() + " (" + c.method() + ") → "
                + (c.status() != null ? "HTTP " + c.status() : c.outcome()) + " in " + c.durationMs() + " ms"
                + (c.job() != null ? " · job " + c.job() : "");
    }

    static String lane(String kind) {
        if (kind.startsWith("OPERATOR")) {
            return "operator";
        }
        if (kind.equals("DECISION") || kind.equals("UNMAPPED_STATUS")) {
            return "decision";
        }
        if (kind.equals("NEEDS_ATTENTION") || kind.equals("RETRY") || kind.equals("THROTTLED")
                || kind.equals("ORDER_NOT_FOUND") || kind.equals("DUPLICATE_RMA")) {
            return "error";
        }
        if (kind.startsWith("LOOP_EVENT") || kind.startsWith("LOOP_LABEL")) {
            return "loop";
        }
        if (kind.equals("SHIPHERO_EVENT") || kind.equals("RMA_MATCHED")) {
            return "shiphero";
        }
        return "bridge";
    }

    @PostMapping("/returns/{id}/retry")
    String retry(@PathVariable long id, Principal who, RedirectAttributes flash) {
        flash.addFlashAttribute("message", actions.retry(id, who.getName()).message());
        return "redirect:/returns/" + id;
    }

    @PostMapping("/returns/{id}/order")
    String chooseOrder(@PathVariable long id, @RequestParam(defaultValue = "") String orderId, Principal who,
                       RedirectAttributes flash) {
        try {
            flash.addFlashAttribute("message", actions.chooseOrder(id, orderId, who.getName()).message());
        } catch (IllegalArgumentException | Conflict e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/returns/" + id;
    }

    @PostMapping("/returns/{id}/rerun")
    String rerun(@PathVariable long id, Principal who, RedirectAttributes flash) {
        flash.addFlashAttribute("message", actions.rerunDecision(id, who.getName()).message());
        return "redirect:/returns/" + id;
    }

    @PostMapping("/deliveries/{id}/replay")
    String replayDelivery(@PathVariable long id, @RequestParam(required = false) Long back,
                          @RequestParam(defaultValue = "false") boolean toConnection, Principal who,
                          RedirectAttributes flash) {
        flash.addFlashAttribute("message", replay.replay(id, who.getName()));
        if (toConnection) {
            // the connection page's unreadable list: back to it, by the delivery's own connection
            return queries.delivery(id).map(d -> "redirect:/connections/" + d.connectionId() + "#unreadable")
                    .orElse("redirect:/connections");
        }
        return back == null ? "redirect:/returns" : "redirect:/returns/" + back;
    }

    /**
     * A stored delivery's body as it was kept, as plain text (never rendered as HTML: it came from outside). A body
     * that was not UTF-8 text is kept and shown base64-encoded.
     */
    @GetMapping(path = "/deliveries/{id}/body", produces = "text/plain;charset=UTF-8")
    @org.springframework.web.bind.annotation.ResponseBody
    org.springframework.http.ResponseEntity<String> deliveryBody(@PathVariable long id) {
        ConsoleQueries.DeliveryRow d = queries.delivery(id).orElseThrow(() -> new NotFound("no delivery " + id));
        ConsoleQueries.Unreadability u = queries.unreadability(id);
        String head = u.bodyEncoding() == null ? "" : "(kept " + u.bodyEncoding() + "-encoded: not UTF-8 text)\n";
        return org.springframework.http.ResponseEntity.ok()
                .contentType(org.springframework.http.MediaType.parseMediaType("text/plain;charset=UTF-8"))
                .header("Content-Disposition", "inline")
                .body(head + d.body());
    }

    @PostMapping("/connections/{id}/deliveries/replay-unreadable")
    String replayUnreadable(@PathVariable String id, Principal who, RedirectAttributes flash) {
        connections.view(id).orElseThrow(() -> new NotFound("no connection " + id));
        flash.addFlashAttribute("message", replay.replayUnreadable(id, who.getName()).message());
        return "redirect:/connections/" + id;
    }

    /** Sandbox only: the simulated warehouse receives the parcel and sets a status. */
    @PostMapping("/returns/{id}/warehouse")
    String warehouse(@PathVariable long id, @RequestParam String status, @RequestParam(defaultValue = "all") String received,
                     RedirectAttributes flash) {
        ReturnLink link = queries.link(id).orElseThrow(() -> new NotFound("no return " + id));
        SandboxDemo d = demo.getIfAvailable();
        if (d == null) {
            flash.addFlashAttribute("error", "the sandbox is not running");
        } else {
            try {
                var rma = d.receive(Long.parseLong(link.loopReturnId()), status, received);
                flash.addFlashAttribute("message", "sandbox warehouse: RMA " + rma.legacyId() + " now '" + rma.status()
                        + "', " + rma.totalItemsReceived() + " of " + rma.totalItemsExpected() + " received");
            } catch (RuntimeException e) {
                flash.addFlashAttribute("error", e.getMessage());
            }
        }
        return "redirect:/returns/" + id;
    }

    // ---------------------------------------------------------------- connections

    @GetMapping("/connections")
    String connectionsPage(Model model) {
        model.addAttribute("connections", connections.views());
        return "connections";
    }

    @GetMapping("/connections/new")
    String newConnection(@RequestParam(defaultValue = "false") boolean sandbox, Model model) {
        Connection.RmaDefaults std = Connection.RmaDefaults.standard();
        ConnectionInput blank = new ConnectionInput("",
                com.returnbridge.connection.ConnectionProperties.LoopConfig.DEFAULT_BASE_URL, null, null,
                "https://public-api.shiphero.com", null, null, null, null, null,
                List.of("Warehouse Complete", "Complete"), List.of("Issue", "Damaged"), List.of("Pending", "RTS"),
                "ignore", "Complete", "all_units", std.labelType(), std.labelCost(), std.shippingCarrier(),
                std.shippingMethod(), std.weight(), std.length(), std.width(), std.height(), null);
        SandboxConnection sc = this.sandbox.getIfAvailable();
        if (sandbox && sc != null && sc.baseUrl() != null) {
            // A shop of its own in the simulated Loop, so the default sandbox connection does not hear its returns.
            String shop = sc.shopKey("console-" + Long.toString(System.nanoTime(), 36));
            blank = new ConnectionInput("", sc.baseUrl() + "/sandbox/loop/api/2026-07", shop,
                    SandboxLoop.DEFAULT_WEBHOOK_SECRET, sc.baseUrl() + "/sandbox/shiphero",
                    SandboxShipHeroConfiguration.SANDBOX_REFRESH_TOKEN, null, null, null, null,
                    blank.processStatuses(), blank.flagStatuses(), blank.ignoreStatuses(), "ignore", "Complete",
                    "all_units", std.labelType(), std.labelCost(), std.shippingCarrier(), std.shippingMethod(),
                    std.weight(), std.length(), std.width(), std.height(), null);
            model.addAttribute("sandboxPrefill", true);
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
        model.addAttribute("events", queries.connectionEvents(id, 15));
        model.addAttribute("failedCalls", failedCalls);
        model.addAttribute("calls", calls.recent(id, failedCalls, 25));
        model.addAttribute("pause", connections.view(id).map(ConnectionView::paused).orElse(false));
        model.addAttribute("sandboxConnection", isSandbox(c));
        model.addAttribute("receiptRules", List.of("all_units", "any_unit", "status_only"));
        model.addAttribute("actionsList", List.of("process", "flag", "ignore"));
        model.addAttribute("runs", backfillViews(id));
        return "connection";
    }

    @PostMapping("/connections/{id}/mapping")
    String mapping(@PathVariable String id, @RequestParam(defaultValue = "") String process,
                   @RequestParam(defaultValue = "") String flag, @RequestParam(defaultValue = "") String ignore,
                   @RequestParam String unmapped, @RequestParam String closeStatus, @RequestParam String receiptRule,
                   Principal who, RedirectAttributes flash) {
        try {
            connections.updateMapping(id, List.of(process), List.of(flag), List.of(ignore), unmapped, closeStatus,
                    receiptRule, who.getName());
            flash.addFlashAttribute("message", "status mapping saved; the next decision follows it");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/connections/" + id;
    }

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

    @PostMapping("/connections/{id}/backfill")
    String backfill(@PathVariable String id,
                    @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                    @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
                    @RequestParam(defaultValue = "") String ids, Principal who, RedirectAttributes flash) {
        try {
            Backfills.Started started = backfills.start(id, from, to, List.of(ids), who.getName());
            flash.addFlashAttribute("message", started.created()
                    ? "backfill #" + started.run().id() + " queued; its progress is shown below"
                    : "the same backfill (#" + started.run().id() + ") is already " + started.run().state()
                    .toLowerCase() + "; no second one was started");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/connections/" + id + "#backfills";
    }

    /** The runs with live progress (polled by htmx every 2 s). */
    @GetMapping("/connections/{id}/backfills")
    String backfillRuns(@PathVariable String id, Model model) {
        connections.connection(id);
        model.addAttribute("c", connections.view(id).orElseThrow());
        model.addAttribute("runs", backfillViews(id));
        return "connection :: backfills";
    }

    @PostMapping("/connections/{id}/backfills/{runId}/cancel")
    String cancelBackfill(@PathVariable String id, @PathVariable long runId, Principal who, RedirectAttributes flash) {
        try {
            BackfillView run = BackfillView.of(backfills.cancel(id, runId, who.getName()));
            flash.addFlashAttribute("message", "backfill #" + runId + " " + run.state().toLowerCase());
        } catch (Conflict | NotFound e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/connections/" + id + "#backfills";
    }

    private List<BackfillView> backfillViews(String id) {
        return backfills.list(id, 10).stream().map(BackfillView::of).toList();
    }

    @PostMapping("/connections/{id}/delete")
    String delete(@PathVariable String id, Principal who, RedirectAttributes flash) {
        flash.addFlashAttribute("message", connections.delete(id, who.getName()) ? "connection " + id + " deleted"
                : "only connections stored in the database can be deleted here");
        return "redirect:/connections";
    }

    /** Sandbox only: a shopper starts a return in the simulated Loop. */
    @PostMapping("/connections/{id}/demo-return")
    String demoReturn(@PathVariable String id, @RequestParam(defaultValue = "TEE-BLK-M") String sku,
                      @RequestParam(defaultValue = "1") int units, RedirectAttributes flash) {
        SandboxDemo d = demo.getIfAvailable();
        if (d == null) {
            flash.addFlashAttribute("error", "the sandbox is not running");
            return "redirect:/connections/" + id;
        }
        SandboxDemo.DemoReturn r = d.createReturn(id, List.of(new SandboxDemo.DemoItem(sku, Math.max(1, units))),
                "9400" + System.currentTimeMillis() % 1_000_000_000L);
        flash.addFlashAttribute("message", "demo return " + r.loopReturnId() + " created in the sandbox Loop for order "
                + r.orderName());
        return "redirect:/returns?connection=" + id + "&q=" + r.loopReturnId();
    }

    private boolean isSandbox(Connection c) {
        SandboxConnection sc = sandbox.getIfAvailable();
        return sc != null && sc.baseUrl() != null && c.loop().baseUrl().startsWith(sc.baseUrl() + "/sandbox/");
    }
}
