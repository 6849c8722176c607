package com.returnbridge.console;

import com.returnbridge.bridge.LinkState;
import com.returnbridge.bridge.ReturnLink;
import com.returnbridge.bridge.ReturnLinks;
import com.returnbridge.bridge.Timeline;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Returns and their timelines, for scripts and for the operator console. */
@RestController
@RequestMapping("/api")
public class ReturnsApiController {

    public record ReturnSummary(long id, String connectionId, String loopReturnId, String state, String orderName,
                                String shipheroReturnId, Long shipheroLegacyId, String lastStatus,
                                String attentionReason, String updatedAt) {
        static ReturnSummary of(ReturnLink l) {
            return new ReturnSummary(l.id(), l.connectionId(), l.loopReturnId(), l.state().name(), l.orderName(),
                    l.shipheroReturnId(), l.shipheroLegacyId(), l.lastStatus(), l.attentionReason(),
                    l.updatedAt().toString());
        }
    }

    public record ReturnDetail(ReturnSummary link, List<Timeline.Entry> timeline) {
    }

    private final ReturnLinks links;
    private final Timeline timeline;
    public ReturnsApiController(ReturnLinks links, Timeline timeline) {
        this.links = links;
        this.timeline = timeline;
    }

    @GetMapping("/returns")
    public List<ReturnSummary> list(@RequestParam(required = false) String connection,
                                    @RequestParam(required = false) LinkState state,
                                    @RequestParam(defaultValue = "100") int limit) {
        return links.search(connection, state, Math.max(1, Math.min(limit, 500))).stream()
                .map(ReturnSummary::of).toList();
    }

    @GetMapping("/returns/{connection}/{loopReturnId}")
    public ResponseEntity<?> detail(@PathVariable String connection, @PathVariable String loopReturnId) {
        return links.findByLoopId(connection, loopReturnId)
                .<ResponseEntity<?>>map(l -> ResponseEntity.ok(new ReturnDetail(ReturnSummary.of(l),
                        timeline.forLink(l.id()))))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
                        .body(Map.of("error", "no return " + loopReturnId + " on connection " + connection)));
    }
}
