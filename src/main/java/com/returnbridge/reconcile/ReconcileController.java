package com.returnbridge.reconcile;

import com.returnbridge.connection.Connections;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code POST /api/connections/{id}/reconcile}: one sweep now, answered with what it found; {@code ?full=true}
 * makes its ShipHero part a full pass (every waiting RMA) whether one is due or not.
 */
@RestController
public class ReconcileController {

    private final Connections connections;
    private final Reconciler reconciler;

    public ReconcileController(Connections connections, Reconciler reconciler) {
        this.connections = connections;
        this.reconciler = reconciler;
    }

    @PostMapping("/api/connections/{connectionId}/reconcile")
    public Reconciler.Result reconcile(@PathVariable String connectionId,
                                       @RequestParam(defaultValue = "false") boolean full) {
        return reconciler.sweep(connections.find(connectionId).orElseThrow(() ->
                new ResponseStatusException(HttpStatus.NOT_FOUND, "unknown connection")), full);
    }
}
