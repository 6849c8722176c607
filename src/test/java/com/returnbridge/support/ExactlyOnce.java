package com.returnbridge.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The exactly-once check on what the simulated vendors saw ({@code GET /sandbox/control/summary}) and on the
 * service's links: every Loop return has exactly one RMA, and every warehouse decision exactly one Loop action
 * (Process; or Flag then one Note), and every return ends in the state its warehouse outcome calls for.
 */
public final class ExactlyOnce {

    /** What the warehouse does with a return, and what must follow. */
    public enum Plan {
        PROCESS("Warehouse Complete", "all", "CLOSED", List.of("process"), "Complete"),
        PARTIAL("Warehouse Complete", "partial", "FLAGGED", List.of("flag", "note"), null),
        DAMAGED("Damaged", "all", "FLAGGED", List.of("flag", "note"), null),
        PENDING("Pending", "none", "RMA_CREATED", List.of(), null);

        public final String status;
        public final String received;
        public final String finalState;
        public final List<String> loopActions;
        public final String rmaStatus;

        Plan(String status, String received, String finalState, List<String> loopActions, String rmaStatus) {
            this.status = status;
            this.received = received;
            this.finalState = finalState;
            this.loopActions = loopActions;
            this.rmaStatus = rmaStatus;
        }

        public static Plan forIndex(int i) {
            int r = i % 20;
            return r < 10 ? PROCESS : r < 15 ? PARTIAL : r < 18 ? DAMAGED : PENDING;
        }
    }

    private ExactlyOnce() {
    }

    /** Every problem found; empty when the run was exactly-once. {@code linkState} gives the service's state. */
    @SuppressWarnings("unchecked")
    public static List<String> problems(Map<String, Object> summary, Map<Long, Plan> plans,
                                        Function<Long, String> linkState) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> rmasPerReturn = (Map<String, Object>) summary.get("rmas_per_return");
        Map<String, Object> actions = (Map<String, Object>) summary.get("loop_actions");
        Map<String, Object> rmaStatus = (Map<String, Object>) summary.get("rma_status");
        for (Map.Entry<Long, Plan> e : plans.entrySet()) {
            String id = String.valueOf(e.getKey());
            Plan plan = e.getValue();
            Object rmas = rmasPerReturn.get(id);
            if (rmas == null || ((Number) rmas).intValue() != 1) {
                problems.add(id + ": " + rmas + " RMAs, expected exactly 1");
            }
            List<String> done = (List<String>) actions.getOrDefault(id, List.of());
            if (!done.equals(plan.loopActions)) {
                problems.add(id + ": Loop actions " + done + ", expected " + plan.loopActions + " (" + plan + ")");
            }
            if (plan.rmaStatus != null && !Objects.equals(plan.rmaStatus, rmaStatus.get(id))) {
                problems.add(id + ": RMA status " + rmaStatus.get(id) + ", expected " + plan.rmaStatus);
            }
            String state = linkState.apply(e.getKey());
            if (!plan.finalState.equals(state)) {
                problems.add(id + ": link " + state + ", expected " + plan.finalState + " (" + plan + ")");
            }
        }
        return problems;
    }

    /** Duplicates only: extra RMAs and repeated Loop actions, whatever the outcome. */
    @SuppressWarnings("unchecked")
    public static long duplicates(Map<String, Object> summary) {
        long extra = 0;
        for (Object n : ((Map<String, Object>) summary.get("rmas_per_return")).values()) {
            extra += Math.max(0, ((Number) n).intValue() - 1);
        }
        for (Object list : ((Map<String, Object>) summary.get("loop_actions")).values()) {
            List<String> done = (List<String>) list;
            extra += done.size() - done.stream().distinct().count();
        }
        return extra;
    }
}
