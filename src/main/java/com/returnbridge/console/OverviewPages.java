package com.returnbridge.console;

import com.returnbridge.bridge.LinkState;
import com.returnbridge.monitor.ConnectionActivity;
import com.returnbridge.monitor.ConnectionHealth;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The console's home, the overview of every connection (its table refreshed by htmx), and the login page. */
@Controller
class OverviewPages implements ConsolePage {

    private final ConnectionService connections;
    private final ConsoleQueries queries;
    private final ConnectionActivity activity;
    private final ConnectionHealth health;
    private final Access access;
    private final ObjectProvider<SingleSignOn.Settings> sso;

    OverviewPages(ConnectionService connections, ConsoleQueries queries, ConnectionActivity activity,
                  ConnectionHealth health, Access access, ObjectProvider<SingleSignOn.Settings> sso) {
        this.access = access;
        this.sso = sso;
        this.connections = connections;
        this.queries = queries;
        this.activity = activity;
        this.health = health;
    }

    @GetMapping("/login")
    String login(Model model) {
        // the single sign-on button, when it is set up
        SingleSignOn.Settings s = sso.getIfAvailable();
        model.addAttribute("sso", s != null && s.issuer() != null ? s.name() : null);
        return "login";
    }

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
        model.addAttribute("attention", queries.countByState(LinkState.NEEDS_ATTENTION,
                access.only().orElse(null)));
        model.addAttribute("now", OffsetDateTime.now());
    }
}
