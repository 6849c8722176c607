package com.returnbridge.console;

import com.returnbridge.bridge.NotFound;
import com.returnbridge.vendor.VendorCallLog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The vendor call log of a connection, for scripts (the return detail carries each return's own calls). */
@RestController
@RequestMapping("/api")
@Tag(name = "Connections")
public class VendorCallsApiController {

    private final ConnectionService connections;
    private final VendorCallLog calls;

    public VendorCallsApiController(ConnectionService connections, VendorCallLog calls) {
        this.connections = connections;
        this.calls = calls;
    }

    @GetMapping("/connections/{id}/vendor-calls")
    @Operation(summary = "The connection's latest calls to Loop and ShipHero, newest first (bodies redacted, headers "
            + "never kept); failed=true keeps HTTP errors, GraphQL errors and calls that got no answer")
    public List<VendorCallLog.Entry> recent(@PathVariable String id,
                                            @RequestParam(defaultValue = "false") boolean failed,
                                            @RequestParam(defaultValue = "100") int limit) {
        connections.view(id).orElseThrow(() -> new NotFound("no connection " + id));
        return calls.recent(id, failed, Math.max(1, Math.min(limit, 1000)));
    }
}
