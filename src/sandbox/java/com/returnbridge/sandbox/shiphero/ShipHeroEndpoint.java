package com.returnbridge.sandbox.shiphero;

import com.returnbridge.sandbox.SandboxFaults;
import com.returnbridge.sandbox.SandboxFaults.Fault;
import com.returnbridge.sandbox.shiphero.SandboxShipHero.GraphQlAnswer;
import graphql.ErrorClassification;
import graphql.ErrorType;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * One HTTP exchange with the simulated ShipHero, in the order the real service would decide: token, injected
 * faults, credit check, execution, then ShipHero's response shape (HTTP 200 with {@code errors[]} for anything
 * that is not an auth or transport problem).
 *
 * <p>One class, over 300 lines: each step may answer instead of the next, and the order of the steps is the behaviour
 * being simulated; spread over classes it would hide in call chains. What the steps use lives elsewhere: GraphQL
 * execution in {@link ShipHeroGraphQl}, the data in {@link ShipHeroStore}, credits in {@link CreditBucket}.
 */
final class ShipHeroEndpoint {

    static final String AUTH_REFRESH = "auth_refresh";
    /** Code for documents that do not parse or validate; ShipHero's exact code is not documented. */
    static final int INVALID_QUERY_CODE = 22;
    static final int THROTTLED_CODE = 30;
    /** Code for sandbox failures that are not a simulated ShipHero error. */
    static final int INTERNAL_CODE = 1;
    /** user_quota is how clients decide to wait, so it is neither throttled nor charged. */
    private static final String FREE_OPERATION = "user_quota";
    private static final long ACCESS_TOKEN_SECONDS = 2_419_200; // 28 days
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ShipHeroTokens tokens;
    private final SandboxFaults faults;
    private final CreditBucket credits;
    private final ShipHeroGraphQl graphQl;
    private final ShipHeroStats stats;
    private final JsonMapper json;

    ShipHeroEndpoint(ShipHeroTokens tokens, SandboxFaults faults, CreditBucket credits, ShipHeroGraphQl graphQl,
            ShipHeroStats stats, JsonMapper json) {
        this.tokens = tokens;
        this.faults = faults;
        this.credits = credits;
        this.graphQl = graphQl;
        this.stats = stats;
        this.json = json;
    }

    // ---- POST /auth/refresh -----------------------------------------------------------------------------------

    GraphQlAnswer refreshRequest(String body) {
        Map<String, Object> request;
        try {
            request = readObject(body);
        } catch (JacksonException | ClassCastException e) {
            stats.request(List.of(AUTH_REFRESH));
            return answer(400, error("invalid_request", "Body must be JSON with a refresh_token."));
        }
        return refresh(request.get("refresh_token") instanceof String token ? token : null);
    }

    GraphQlAnswer refresh(String refreshToken) {
        stats.request(List.of(AUTH_REFRESH));
        Optional<Fault> fault = faults.next(AUTH_REFRESH);
        fault.ifPresent(f -> stats.fault());
        if (fault.isPresent()) {
            switch (fault.get().kind()) {
                case SERVER_ERROR -> {
                    return answer(500, error("server_error", "Internal Server Error"));
                }
                case TOO_MANY_REQUESTS, THROTTLED -> {
                    return tooManyRequests(fault.get().delay());
                }
                case SLOW -> sleep(fault.get().delay());
                default -> {
                    // FAIL_AFTER_EXECUTE is handled below; REFUSE means nothing to ShipHero.
                }
            }
        }
        if (!tokens.knowsRefreshToken(refreshToken)) {
            stats.unauthorized();
            return answer(401, error("invalid_grant", "Unknown or invalid refresh token."));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", tokens.issueAccessToken());
        body.put("expires_in", ACCESS_TOKEN_SECONDS);
        body.put("scope", "openid profile offline_access");
        body.put("token_type", "Bearer");
        if (fault.isPresent() && fault.get().kind() == SandboxFaults.Kind.FAIL_AFTER_EXECUTE) {
            return answer(500, error("server_error", "Internal Server Error"));
        }
        return answer(200, body);
    }

    // ---- POST /graphql ------------------------------------------------------------------------------------------

    GraphQlAnswer graphQlRequest(String authorization, String body) {
        Map<String, Object> request;
        try {
            request = readObject(body);
        } catch (JacksonException | ClassCastException e) {
            stats.request(List.of());
            return answer(400, Map.of("errors", List.of(Map.of("message", "POST body sent invalid JSON."))));
        }
        if (!(request.get("query") instanceof String query) || query.isBlank()) {
            stats.request(List.of());
            return answer(400, Map.of("errors", List.of(Map.of("message", "Must provide query string."))));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> variables = request.get("variables") instanceof Map<?, ?> m
                ? (Map<String, Object>) m : Map.of();
        String operationName = request.get("operationName") instanceof String name ? name : null;
        return execute(bearerToken(authorization), query, variables, operationName);
    }

    GraphQlAnswer execute(String accessToken, String query, Map<String, Object> variables, String operationName) {
        Optional<ParsedOperation> operation = ParsedOperation.parse(query, operationName, variables);
        List<String> fields = operation.map(ParsedOperation::fieldNames).orElse(List.of());
        stats.request(fields);
        if (!tokens.isValidAccessToken(accessToken)) {
            stats.unauthorized();
            return answer(401, Map.of("errors", List.of(errorEntry("Invalid or expired token", 401))));
        }
        String requestId = newRequestId();

        Optional<Fault> fault = nextFault(fields);
        if (fault.isPresent()) {
            switch (fault.get().kind()) {
                case SERVER_ERROR -> {
                    return serverError(requestId);
                }
                case TOO_MANY_REQUESTS -> {
                    return tooManyRequests(fault.get().delay());
                }
                case THROTTLED -> {
                    long required = operation.map(o -> totalEstimate(o, fields)).orElse(1L);
                    long seconds = Math.max(1, (long) Math.ceil(fault.get().delay().toMillis() / 1000.0));
                    return throttled(fields, requestId, required, seconds);
                }
                case SLOW -> sleep(fault.get().delay());
                default -> {
                    // FAIL_AFTER_EXECUTE: below, after the work is done.
                }
            }
        }

        if (operation.isPresent() && credits.enabled() && !fields.equals(List.of(FREE_OPERATION))) {
            SandboxShipHero.CreditModel model = credits.model();
            // An estimate above the bucket could never pass; the sandbox caps it rather than failing forever.
            long required = Math.min(totalEstimate(operation.get(), fields), model.bucketSize());
            long remaining = (long) Math.floor(credits.available());
            if (remaining < required) {
                long seconds = Math.max(1, (long) Math.ceil((required - remaining) / model.refillPerSecond()));
                return throttled(fields, requestId, required, seconds);
            }
        }

        ExecutionResult result = graphQl.execute(query, operationName, variables, requestId);
        Map<String, Object> response = shape(result, fields, requestId);
        if (fault.isPresent() && fault.get().kind() == SandboxFaults.Kind.FAIL_AFTER_EXECUTE) {
            return serverError(requestId);
        }
        if (fault.isPresent() && fault.get().kind() == SandboxFaults.Kind.CONNECTION_RESET) {
            throw new SandboxFaults.ConnectionReset(String.join(",", fields));
        }
        if (fault.isPresent() && fault.get().kind() == SandboxFaults.Kind.SLOW_AFTER_EXECUTE) {
            sleep(fault.get().delay());
        }
        return answer(200, response);
    }

    // ---- response shaping ---------------------------------------------------------------------------------------

    /** ShipHero's answer: errors first (flat, with operation/field/request_id/code), then data with real costs. */
    private Map<String, Object> shape(ExecutionResult result, List<String> fields, String requestId) {
        Map<String, Object> response = new LinkedHashMap<>();
        if (!result.getErrors().isEmpty()) {
            List<Map<String, Object>> errors = new ArrayList<>();
            for (GraphQLError error : result.getErrors()) {
                errors.add(shapeError(error, fields, requestId));
            }
            response.put("errors", errors);
        }
        if (result.isDataPresent()) {
            Object data = charge(copy(result.getData()), fields);
            response.put("data", data);
        }
        return response;
    }

    /** Charges 1 + the JSON objects each top-level field returned, and reports that as its complexity. */
    private Object charge(Object data, List<String> fields) {
        if (!(data instanceof Map<?, ?> map)) {
            return data;
        }
        long total = 0;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (FREE_OPERATION.equals(entry.getKey())) {
                continue;
            }
            long cost = 1 + countObjects(entry.getValue());
            total += cost;
            stats.credits(String.valueOf(entry.getKey()), cost);
            if (entry.getValue() instanceof Map<?, ?> envelope && envelope.containsKey("complexity")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> writable = (Map<String, Object>) envelope;
                writable.put("complexity", cost);
            }
        }
        credits.charge((int) Math.min(Integer.MAX_VALUE, total));
        stats.credits(total);
        return data;
    }

    private Map<String, Object> shapeError(GraphQLError error, List<String> fields, String requestId) {
        List<Object> path = error.getPath();
        String operation = path != null && !path.isEmpty() ? String.valueOf(path.get(0))
                : (fields.isEmpty() ? null : fields.get(0));
        String field = operation;
        if (path != null) {
            for (Object segment : path) {
                if (segment instanceof String name) {
                    field = name;
                }
            }
        }
        Map<String, Object> shaped = new LinkedHashMap<>();
        shaped.put("message", error.getMessage());
        shaped.put("operation", operation);
        shaped.put("field", field);
        shaped.put("request_id", requestId);
        shaped.put("code", codeOf(error));
        return shaped;
    }

    private static int codeOf(GraphQLError error) {
        Map<String, Object> extensions = error.getExtensions();
        if (extensions != null && extensions.get(ShipHeroGraphQl.CODE) instanceof Number code) {
            return code.intValue();
        }
        ErrorClassification type = error.getErrorType();
        return type == ErrorType.InvalidSyntax || type == ErrorType.ValidationError
                ? INVALID_QUERY_CODE : INTERNAL_CODE;
    }

    private GraphQlAnswer throttled(List<String> fields, String requestId, long required, long seconds) {
        stats.throttled();
        String field = fields.isEmpty() ? null : fields.get(0);
        long remaining = (long) Math.floor(Math.min(credits.available(), Long.MAX_VALUE));
        long max = credits.enabled() ? credits.model().bucketSize() : 4004;
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", THROTTLED_CODE);
        error.put("message", "There are not enough credits to perform the requested operation, which requires "
                + required + " credits. The max allowed for your account is " + max
                + " credits per operation. Try again in " + seconds + " seconds");
        error.put("operation", field);
        error.put("field", field);
        error.put("request_id", requestId);
        error.put("required_credits", required);
        error.put("remaining_credits", credits.enabled() ? remaining : max);
        error.put("time_remaining", seconds + " seconds");
        Map<String, Object> data = new LinkedHashMap<>();
        fields.forEach(f -> data.put(f, null));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errors", List.of(error));
        body.put("data", data);
        return answer(200, body);
    }

    private GraphQlAnswer serverError(String requestId) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", "Internal Server Error");
        error.put("request_id", requestId);
        error.put("code", 500);
        return answer(500, Map.of("errors", List.of(error)));
    }

    private GraphQlAnswer tooManyRequests(Duration wait) {
        long seconds = Math.max(1, (long) Math.ceil(wait.toMillis() / 1000.0));
        Map<String, Object> body = Map.of("errors", List.of(errorEntry("Too Many Requests", 429)));
        return new GraphQlAnswer(429, json.writeValueAsString(body), Map.of("Retry-After", String.valueOf(seconds)));
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private Optional<Fault> nextFault(List<String> fields) {
        for (String field : fields) {
            Optional<Fault> fault = faults.next(field);
            if (fault.isPresent()) {
                stats.fault();
                return fault;
            }
        }
        return Optional.empty();
    }

    private static long totalEstimate(ParsedOperation operation, List<String> fields) {
        return fields.stream().filter(f -> !f.equals(FREE_OPERATION)).mapToLong(operation::estimatedCost).sum();
    }

    private static long countObjects(Object value) {
        if (value instanceof Map<?, ?> map) {
            long count = 1;
            for (Object child : map.values()) {
                count += countObjects(child);
            }
            return count;
        }
        if (value instanceof List<?> list) {
            long count = 0;
            for (Object child : list) {
                count += countObjects(child);
            }
            return count;
        }
        return 0;
    }

    /** graphql-java's result maps are not ours to change; the complexity rewrite works on a copy. */
    private static Object copy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), copy(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(copy(item)));
            return copy;
        }
        return value;
    }

    private static Map<String, Object> errorEntry(String message, int code) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("message", message);
        entry.put("code", code);
        return entry;
    }

    private static Map<String, Object> error(String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        return body;
    }

    private static String bearerToken(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).trim() : null;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readObject(String body) {
        Object value = json.readValue(body == null ? "" : body, Object.class);
        if (value == null) {
            throw new ClassCastException("empty body");
        }
        return (Map<String, Object>) value;
    }

    private GraphQlAnswer answer(int status, Map<String, Object> body) {
        return new GraphQlAnswer(status, json.writeValueAsString(body), Map.of());
    }

    private static String newRequestId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
