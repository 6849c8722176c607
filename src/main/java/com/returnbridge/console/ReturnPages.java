package com.returnbridge.console;

import com.returnbridge.bridge.Conflict;
import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.NotFound;
import com.returnbridge.bridge.OperatorActions;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.connection.Connection;
import java.security.Principal;
import java.time.LocalDate;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The returns list and a return's page: its story, the deliveries in it, and the operator's actions on it. */
@Controller
public class ReturnPages implements ConsolePage {

    private final ConsoleQueries queries;
    private final ConnectionService connections;
    private final OperatorActions actions;
    private final DeliveryReplay replay;
    private final ReturnStory story;
    private final ConsoleSandbox sandbox;
    private final String loopReturnUrl;
    private final String shipheroReturnUrl;
    private final com.returnbridge.bridge.ReturnClocks clocks;
    private final com.returnbridge.connection.Slas slas;
    private final Access access;

    ReturnPages(ConsoleQueries queries, ConnectionService connections, OperatorActions actions, DeliveryReplay replay,
                ReturnStory story, ConsoleSandbox sandbox, com.returnbridge.bridge.ReturnClocks clocks,
                com.returnbridge.connection.Slas slas, Access access,
                @Value("${returnbridge.console.loop-return-url:https://admin.loopreturns.com/returns/{id}}")
                String loopReturnUrl,
                @Value("${returnbridge.console.shiphero-return-url:https://app.shiphero.com/dashboard/returns/{legacyId}}")
                String shipheroReturnUrl) {
        this.clocks = clocks;
        this.slas = slas;
        this.access = access;
        this.queries = queries;
        this.connections = connections;
        this.actions = actions;
        this.replay = replay;
        this.story = story;
        this.sandbox = sandbox;
        this.loopReturnUrl = loopReturnUrl;
        this.shipheroReturnUrl = shipheroReturnUrl;
    }

    @GetMapping("/returns")
    String returns(@RequestParam(required = false) String connection, @RequestParam(required = false) String state,
                   @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                   @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
                   @RequestParam(defaultValue = "false") boolean unmapped, @RequestParam(required = false) String q,
                   @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "25") int size,
                   Model model) {
        LinkState linkState = state == null || state.isBlank() ? null : LinkState.valueOf(state);
        ConsoleQueries.Page<ReturnLink> found = queries.search(
                new ConsoleQueries.ReturnFilter(connection, linkState, from, to, unmapped, q),
                access.only().orElse(null), Math.max(0, page),
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

    /** The API's address of a return ({@code /api/returns/{connection}/{loopReturnId}}) works in the console too. */
    @GetMapping("/returns/{connection}/{loopReturnId:\\d+}")
    String returnByLoopId(@PathVariable String connection, @PathVariable String loopReturnId) {
        ReturnLink link = queries.link(connection, loopReturnId).orElseThrow(() -> new NotFound("no Loop return "
                + loopReturnId + " on connection '" + connection + "'"));
        return "redirect:/returns/" + link.id();
    }

    @GetMapping("/returns/{id}/story")
    String story(@PathVariable long id, Model model) {
        ReturnLink link = queries.link(id).orElseThrow(() -> new NotFound("no return " + id));
        fillReturn(link, model);
        return "return :: live";
    }

    private void fillReturn(ReturnLink link, Model model) {
        model.addAttribute("link", link);
        model.addAttribute("story", story.of(link));
        var clock = clocks.of(link.id()).orElse(null);
        model.addAttribute("clocks", clock);
        model.addAttribute("slaDue", clock == null || clock.confirmed() != null || clock.slaStart() == null ? null
                : slas.of(link.connectionId()).due(clock.slaStart().toInstant()));
        model.addAttribute("jobs", actions.jobsFor(link.id()));
        model.addAttribute("noRetry", OperatorActions.whyNoRetry(link).orElse(null));
        model.addAttribute("noRerun", OperatorActions.whyNoRerun(link).orElse(null));
        model.addAttribute("loopUrl", loopReturnUrl.replace("{id}", link.loopReturnId()));
        model.addAttribute("shipheroUrl", link.shipheroLegacyId() == null ? null
                : shipheroReturnUrl.replace("{legacyId}", String.valueOf(link.shipheroLegacyId()))
                .replace("{id}", String.valueOf(link.shipheroReturnId())));
        Optional<Connection> connection = Optional.ofNullable(connectionOrNull(link.connectionId()));
        model.addAttribute("paused", connection.isPresent()
                && connections.view(link.connectionId()).map(ConnectionView::paused).orElse(false));
        model.addAttribute("sandboxConnection", connection.map(sandbox::hosts).orElse(false));
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

    // ---------------------------------------------------------------- deliveries in the story

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
    @ResponseBody
    ResponseEntity<String> deliveryBody(@PathVariable long id) {
        ConsoleQueries.DeliveryRow d = queries.delivery(id).orElseThrow(() -> new NotFound("no delivery " + id));
        ConsoleQueries.Unreadability u = queries.unreadability(id);
        String head = u.bodyEncoding() == null ? "" : "(kept " + u.bodyEncoding() + "-encoded: not UTF-8 text)\n";
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("text/plain;charset=UTF-8"))
                .header("Content-Disposition", "inline")
                .body(head + d.body());
    }
}
