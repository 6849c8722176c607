package com.returnbridge.sandbox.shiphero;

import com.returnbridge.sandbox.shiphero.ShipHeroStore.ReturnChange;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerResult;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeRuntimeWiring;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GraphQL side of the sandbox: the subset SDL in {@code sandbox/shiphero.graphqls}, wired to the store.
 * Top-level fields return ShipHero's envelopes ({@code request_id, complexity, data|payload}); the complexity
 * written here is a placeholder that {@link SandboxShipHero} overwrites with the credits actually charged.
 */
final class ShipHeroGraphQl {

    static final String SCHEMA_RESOURCE = "sandbox/shiphero.graphqls";
    static final String REQUEST_ID = "request_id";
    /** Extension key carrying ShipHero's numeric error code from a fetcher to the response shaping. */
    static final String CODE = "code";

    private static final Logger log = LoggerFactory.getLogger(ShipHeroGraphQl.class);

    private final ShipHeroStore store;
    private final Supplier<Map<String, Object>> userQuota;
    private final Consumer<ReturnChange> publisher;
    private final Supplier<String> secrets;
    private final GraphQL graphQl;

    ShipHeroGraphQl(ShipHeroStore store, Supplier<Map<String, Object>> userQuota, Consumer<ReturnChange> publisher,
            Supplier<String> secrets) {
        this.store = store;
        this.userQuota = userQuota;
        this.publisher = publisher;
        this.secrets = secrets;
        GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(
                new SchemaParser().parse(readSchema()), wiring());
        this.graphQl = GraphQL.newGraphQL(schema)
                .defaultDataFetcherExceptionHandler(new ShipHeroErrors())
                .build();
    }

    ExecutionResult execute(String query, String operationName, Map<String, Object> variables, String requestId) {
        return graphQl.execute(ExecutionInput.newExecutionInput()
                .query(query)
                .operationName(operationName)
                .variables(variables == null ? Map.of() : variables)
                .graphQLContext(Map.of(REQUEST_ID, requestId))
                .build());
    }

    static String readSchema() {
        try (InputStream in = ShipHeroGraphQl.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing classpath resource " + SCHEMA_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RuntimeWiring wiring() {
        RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring();
        PassThroughScalars.all().forEach(wiring::scalar);
        return wiring
                .type(TypeRuntimeWiring.newTypeWiring("Query")
                        .dataFetcher("account", env -> envelope(env, "data", store.accountShape()))
                        .dataFetcher("uuid", this::uuid)
                        .dataFetcher("order", env -> envelope(env, "data", store.orderShape(env.getArgument("id"))
                                .orElseThrow(() -> ShipHeroException.notFound("Order not found"))))
                        .dataFetcher("orders", env -> listEnvelope(env, store.findOrders(
                                env.getArgument("partner_order_id"), env.getArgument("order_number"),
                                env.getArgument("shop_name"), env.getArgument("customer_account_id"),
                                instant(env.getArgument("updated_from"), false),
                                instant(env.getArgument("updated_to"), true))))
                        .dataFetcher("return", env -> envelope(env, "data", store.returnShape(env.getArgument("id"))
                                .orElseThrow(() -> ShipHeroException.notFound("Return not found"))))
                        .dataFetcher("returns", this::returns)
                        .dataFetcher("user_quota", env -> userQuota.get())
                        .dataFetcher("webhooks", env -> listEnvelope(env,
                                store.webhookShapes(env.getArgument("customer_account_id")))))
                .type(TypeRuntimeWiring.newTypeWiring("Mutation")
                        .dataFetcher("return_create", env -> publish(env, store.createReturn(env.getArgument("data"))))
                        .dataFetcher("return_update_status", env -> {
                            Map<String, Object> data = env.getArgument("data");
                            return publish(env, store.updateStatus((String) data.get("return_id"),
                                    (String) data.get("status"), true));
                        })
                        .dataFetcher("webhook_create", env -> {
                            Map<String, Object> data = env.getArgument("data");
                            return envelope(env, "webhook", store.createWebhook((String) data.get("customer_account_id"),
                                    (String) data.get("name"), (String) data.get("url"),
                                    (String) data.get("shop_name"), secrets.get()));
                        })
                        .dataFetcher("webhook_delete", env -> {
                            Map<String, Object> data = env.getArgument("data");
                            store.deleteWebhook((String) data.get("customer_account_id"), (String) data.get("name"),
                                    (String) data.get("shop_name"));
                            return envelope(env, null, null);
                        }))
                .type("OrdersQueryResult", t -> t.dataFetcher("data", ShipHeroGraphQl::pageItems))
                .type("ReturnsQueryResult", t -> t.dataFetcher("data", ShipHeroGraphQl::pageItems))
                .type("WebhooksQueryResult", t -> t.dataFetcher("data", ShipHeroGraphQl::pageItems))
                .type("Order", t -> t.dataFetcher("line_items", env -> page(env, ShipHeroShapes.LINE_ITEMS)))
                .type("Account", t -> t.dataFetcher("customers", env -> page(env, ShipHeroShapes.CUSTOMERS)))
                // Resolved on demand: an eager Return.order → Order.returns → … would never end.
                .type("Return", t -> t.dataFetcher("order", env -> {
                    Map<String, Object> source = env.getSource();
                    return store.orderShape((String) source.get("order_id")).orElse(null);
                }))
                .build();
    }

    private Object uuid(DataFetchingEnvironment env) {
        Integer legacyId = env.getArgument("legacy_id");
        String entity = env.getArgument("entity");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("legacy_id", legacyId);
        data.put("id", ShipHeroIds.encode(entity, legacyId));
        return envelope(env, "data", data);
    }

    /** returns(...): same customer-account rule as orders; dates bound created_at (the doc's assumption). */
    private Object returns(DataFetchingEnvironment env) {
        String orderId = env.getArgument("order_id");
        String warehouseId = env.getArgument("warehouse_id");
        String customerAccountId = env.getArgument("customer_account_id");
        Instant from = instant(env.getArgument("date_from"), false);
        Instant to = instant(env.getArgument("date_to"), true);
        return listEnvelope(env, store.findReturns(r -> (orderId == null || orderId.equals(r.orderId()))
                && (warehouseId == null || warehouseId.equals(r.warehouseId()))
                && Objects.equals(customerAccountId, r.customerAccountId())
                && (from == null || !r.createdAt().isBefore(from))
                && (to == null || r.createdAt().isBefore(to))));
    }

    private Object publish(DataFetchingEnvironment env, ReturnChange change) {
        publisher.accept(change);
        return envelope(env, "return", change.shape());
    }

    private static Map<String, Object> envelope(DataFetchingEnvironment env, String key, Object value) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("request_id", env.getGraphQlContext().get(REQUEST_ID));
        envelope.put("complexity", 0);
        if (key != null) {
            envelope.put(key, value);
        }
        return envelope;
    }

    private static Map<String, Object> listEnvelope(DataFetchingEnvironment env, List<Map<String, Object>> items) {
        Map<String, Object> envelope = envelope(env, null, null);
        envelope.put("_items", items);
        return envelope;
    }

    private static Object pageItems(DataFetchingEnvironment env) {
        return page(env, "_items");
    }

    private static Object page(DataFetchingEnvironment env, String key) {
        Map<String, Object> source = env.getSource();
        List<?> items = (List<?>) source.getOrDefault(key, List.of());
        return RelayPages.page(items, env);
    }

    /** Accepts what ShipHero's ISODateTime accepts in practice: a date, a local date-time (UTC), or an offset one. */
    private static Instant instant(Object value, boolean endOfDay) {
        if (value == null) {
            return null;
        }
        String text = value.toString();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            LocalDate date = LocalDate.parse(text);
            return (endOfDay ? date.plusDays(1) : date).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw ShipHeroException.invalid("Invalid date: " + text);
        }
    }

    /** Fetcher failures become ShipHero errors: message as-is, numeric code carried in the extensions. */
    private static final class ShipHeroErrors implements DataFetcherExceptionHandler {
        @Override
        public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(
                graphql.execution.DataFetcherExceptionHandlerParameters parameters) {
            Throwable exception = parameters.getException();
            GraphQLError error;
            if (exception instanceof ShipHeroException shipHero) {
                error = GraphqlErrorBuilder.newError(parameters.getDataFetchingEnvironment())
                        .message(shipHero.getMessage())
                        .extensions(Map.of(CODE, shipHero.code()))
                        .build();
            } else {
                log.warn("sandbox ShipHero fetcher failed", exception);
                error = GraphqlErrorBuilder.newError(parameters.getDataFetchingEnvironment())
                        .message("Internal error: " + exception)
                        .build();
            }
            return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(error).build());
        }
    }
}
