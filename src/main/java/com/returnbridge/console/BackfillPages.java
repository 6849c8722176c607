package com.returnbridge.console;

import com.returnbridge.backfill.Backfills;
import com.returnbridge.bridge.Conflict;
import com.returnbridge.bridge.NotFound;
import java.security.Principal;
import java.time.LocalDate;
import java.util.List;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** A connection's backfill runs, on its page: start one, watch their progress, cancel one. */
@Controller
class BackfillPages implements ConsolePage {

    /** The runs a connection page shows, newest first. */
    private static final int RUNS_SHOWN = 10;

    private final ConnectionService connections;
    private final Backfills backfills;

    BackfillPages(ConnectionService connections, Backfills backfills) {
        this.connections = connections;
        this.backfills = backfills;
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
        model.addAttribute("runs", runs(backfills, id));
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

    /** The connection's latest runs, as its page lists them. */
    static List<BackfillView> runs(Backfills backfills, String connectionId) {
        return backfills.list(connectionId, RUNS_SHOWN).stream().map(BackfillView::of).toList();
    }
}
