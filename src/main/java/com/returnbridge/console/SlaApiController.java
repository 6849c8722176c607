package com.returnbridge.console;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The aging queue and the exceptions list for scripts, with the exceptions' bulk actions. */
@RestController
@RequestMapping("/api")
@Tag(name = "SLA", description = "the aging queue, the exceptions list and their bulk actions")
public class SlaApiController {

    private final SlaViews views;

    SlaApiController(SlaViews views) {
        this.views = views;
    }

    @GetMapping("/aging")
    @Operation(summary = "Returns delivered and not received, received and not decided, flagged and not resolved, "
            + "soonest due first under each connection's SLA; breached ones have breached=true")
    public SlaViews.Aging aging(@RequestParam(required = false) String connection) {
        return views.aging(views.scope(connection));
    }

    @GetMapping("/exceptions")
    @Operation(summary = "What needs a person, by kind, with counts per connection (and per reason for "
            + "NEEDS_ATTENTION), the first items of each with links, and the kind's bulk action")
    public SlaViews.ExceptionsView exceptions(@RequestParam(required = false) String connection) {
        return views.exceptions(views.scope(connection));
    }

    @PostMapping("/exceptions/{kind}/bulk")
    @Operation(summary = "The kind's bulk action (retry, replay or rerun-decision) on every item of it on one "
            + "connection; reason narrows NEEDS_ATTENTION to one reason group")
    public SlaViews.BulkResult bulk(@PathVariable String kind, @RequestParam(required = false) String connection,
                                    @RequestParam(required = false) String reason, Principal who) {
        return views.bulk(kind, connection, reason, who.getName());
    }
}
