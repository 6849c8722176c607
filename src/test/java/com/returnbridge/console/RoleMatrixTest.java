package com.returnbridge.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.UserRequestPostProcessor;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Role × path: every console page and form, every API path, as each role. A role that may not → 403; one that may
 * reaches the page or endpoint (which may then say 404, 400 or 409 about the thing named, never 401, 403 or 5xx).
 * The ids name nothing that exists (connection {@code matrix}, return, delivery and run 999999), so no action changes
 * anything; the merchant here was given connection {@code matrix}; {@link MerchantScopeTest} proves its limits with
 * real connections.
 */
class RoleMatrixTest extends ConsoleTestBase {

    /** Who may: everyone with a role (merchant of its own connection), the 3PL's staff, operators, admins. */
    enum May { READ, STAFF, OPERATE, ADMIN, SELF }

    private static final Map<String, List<String>> ALLOWED = Map.of(
            "READ", List.of("admin", "operator", "viewer", "merchant"),
            "SELF", List.of("admin", "operator", "viewer", "merchant"),
            "STAFF", List.of("admin", "operator", "viewer"),
            "OPERATE", List.of("admin", "operator"),
            "ADMIN", List.of("admin"));

    @Autowired
    MockMvc mvc;

    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource({
            // console pages
            "GET,/,READ", "GET,/overview/table,READ", "GET,/returns,READ", "GET,/returns?connection=matrix,READ",
            "GET,/returns/999999,READ", "GET,/returns/999999/story,READ", "GET,/returns/matrix/999999,READ",
            "GET,/connections,READ", "GET,/connections/matrix,READ", "GET,/connections/matrix/backfills,READ",
            "GET,/deliveries/999999/body,READ", "GET,/profile,SELF", "GET,/swagger-ui/index.html,READ",
            "GET,/connections/new,ADMIN", "GET,/connections/matrix/edit,ADMIN", "GET,/users,ADMIN",
            // console forms
            "POST,/returns/999999/retry,OPERATE", "POST,/returns/999999/rerun,OPERATE",
            "POST,/returns/999999/order,OPERATE", "POST,/deliveries/999999/replay,OPERATE",
            "POST,/connections/matrix/pause,OPERATE", "POST,/connections/matrix/resume,OPERATE",
            "POST,/connections/matrix/retry-attention,OPERATE", "POST,/connections/matrix/webhook-check,OPERATE",
            "POST,/connections/matrix/deliveries/replay-unreadable,OPERATE", "POST,/connections/matrix/backfill,OPERATE",
            "POST,/connections/matrix/backfills/999999/cancel,OPERATE", "POST,/returns/999999/warehouse,OPERATE",
            "POST,/connections,ADMIN", "POST,/connections/matrix,ADMIN", "POST,/connections/matrix/delete,ADMIN",
            "POST,/connections/matrix/mapping,ADMIN", "POST,/connections/matrix/connect,ADMIN",
            "POST,/connections/matrix/warehouse,ADMIN", "POST,/connections/matrix/shop-name,ADMIN", "POST,/connections/matrix/grading,ADMIN",
            "POST,/users,ADMIN", "POST,/users/nobody-999999,ADMIN", "POST,/users/nobody-999999/delete,ADMIN",
            "POST,/profile/time-zone,SELF", "POST,/profile/tokens/999999/revoke,SELF",
            // API reads
            "GET,/api/returns,READ", "GET,/api/returns?connection=matrix,READ", "GET,/api/returns/matrix/999999,READ",
            "GET,/api/connections,READ", "GET,/api/connections/matrix,READ", "GET,/api/overview,READ",
            "GET,/api/deliveries,READ", "GET,/api/deliveries/999999,READ",
            "GET,/api/connections/matrix/unmapped-statuses,READ", "GET,/api/connections/matrix/rejections,READ",
            "GET,/api/connections/matrix/webhook-check,READ", "GET,/api/connections/matrix/vendor-calls,READ",
            "GET,/api/connections/matrix/backfills,READ", "GET,/api/connections/matrix/backfills/999999,READ",
            "GET,/api/connections/matrix/deliveries/unreadable,READ", "GET,/v3/api-docs,READ",
            "GET,/api/users/me,SELF", "GET,/api/users/me/tokens,SELF",
            "GET,/aging,READ", "GET,/exceptions,READ", "GET,/aging?connection=matrix,READ", "GET,/api/aging,READ",
            "GET,/api/exceptions?connection=matrix,READ",
            "POST,/api/exceptions/needs-attention/bulk?connection=matrix,OPERATE",
            "POST,/exceptions/needs-attention/bulk?connection=matrix,OPERATE", "GET,/api/charts/outcomes,READ", "GET,/api/charts/confirmation-times,READ",
            "GET,/api/connections/matrix/charts/outcomes,READ", "GET,/api/connections/matrix/billing,READ",
            "GET,/api/connections/matrix/billing?format=csv,READ", "GET,/actuator/prometheus,STAFF", "GET,/actuator/metrics,STAFF", "GET,/sandbox/control/summary,STAFF",
            "GET,/api/users,ADMIN", "GET,/api/users/nobody-999999,ADMIN", "GET,/api/users/nobody-999999/tokens,ADMIN",
            // API actions
            "POST,/api/returns/matrix/999999/retry,OPERATE", "POST,/api/returns/matrix/999999/rerun-decision,OPERATE",
            "POST,/api/returns/matrix/999999/order,OPERATE", "POST,/api/deliveries/999999/replay,OPERATE",
            "POST,/api/connections/matrix/pause,OPERATE", "POST,/api/connections/matrix/resume,OPERATE",
            "POST,/api/connections/matrix/retry-attention,OPERATE", "POST,/api/connections/matrix/webhook-check,OPERATE",
            "POST,/api/connections/matrix/deliveries/replay-unreadable,OPERATE",
            "POST,/api/connections/matrix/backfill,OPERATE", "POST,/api/connections/matrix/backfills/999999/cancel,OPERATE",
            "POST,/api/connections/matrix/reconcile,OPERATE", "POST,/sandbox/control/faults,OPERATE",
            // future actions on returns fall under the same rule
            "POST,/api/exceptions/retry?connection=matrix,OPERATE",
            "POST,/api/connections,ADMIN", "PUT,/api/connections/matrix,ADMIN", "PUT,/api/connections/matrix/mapping,ADMIN",
            "PUT,/api/connections/matrix/grading,ADMIN", "GET,/api/connections/matrix/grading,READ",
            "GET,/api/connections/matrix/restock-guard,READ", "DELETE,/api/connections/matrix,ADMIN", "POST,/api/connections/matrix/connect,ADMIN",
            "POST,/api/users,ADMIN", "PUT,/api/users/nobody-999999,ADMIN", "DELETE,/api/users/nobody-999999,ADMIN",
            "POST,/api/users/nobody-999999/tokens,ADMIN", "DELETE,/api/users/nobody-999999/tokens/999999,ADMIN",
            "DELETE,/api/users/me/tokens/999999,SELF"})
    void eachRoleGetsWhatItMayAndNothingElse(String method, String path, May may) throws Exception {
        for (String role : List.of("admin", "operator", "viewer", "merchant")) {
            var request = request(HttpMethod.valueOf(method), path).with(as(role)).with(csrf())
                    .contentType(MediaType.APPLICATION_JSON).content("{}");
            int status = mvc.perform(request).andReturn().getResponse().getStatus();
            if (ALLOWED.get(may.name()).contains(role)) {
                assertThat(status).as(role + " " + method + " " + path).isNotIn(401, 403).isLessThan(500);
            } else {
                assertThat(status).as(role + " " + method + " " + path).isEqualTo(403);
            }
        }
    }

    private static UserRequestPostProcessor as(String role) {
        UserRequestPostProcessor u = user("matrix-" + role);
        return "merchant".equals(role)
                ? u.authorities(new SimpleGrantedAuthority("ROLE_MERCHANT"),
                new SimpleGrantedAuthority(Access.CONNECTION + "matrix"))
                : u.roles(role.toUpperCase());
    }
}
