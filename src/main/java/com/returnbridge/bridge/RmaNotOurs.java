package com.returnbridge.bridge;

/**
 * Published when an RMA a Return Update was about turns out not to be ours (its partner_id names none of our Loop
 * returns). Intake marks its deliveries about it, for the delivery log: the bridge does not write intake's table.
 */
public record RmaNotOurs(String connectionId, String rmaId) {
}
