package com.returnbridge.console;

import static com.returnbridge.bridge.TimelineKind.CONNECTION_CREATED;
import static com.returnbridge.bridge.TimelineKind.CONNECTION_DELETED;
import static com.returnbridge.bridge.TimelineKind.CONNECTION_EDITED;

import com.returnbridge.bridge.Conflict;
import com.returnbridge.bridge.NotFound;
import com.returnbridge.bridge.Timeline;
import com.returnbridge.connection.Connection;
import com.returnbridge.connection.ConnectionProperties;
import com.returnbridge.connection.Connections;
import com.returnbridge.connection.ReceiptRule;
import com.returnbridge.connection.Secret;
import com.returnbridge.connection.StatusAction;
import com.returnbridge.connection.StatusPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * Create, edit and delete connections (with their RMA defaults and status mapping), in the shapes the console and the
 * admin API send and show ({@link ConnectionInput}, {@link ConnectionView}); each change goes on the connection's
 * timeline. Onboarding ("Connect") is {@link com.returnbridge.onboarding.Onboarding}.
 */
@Service
public class ConnectionService {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,49}");

    private final Connections connections;
    private final ConnectionProperties properties;
    private final Timeline timeline;
    private final Access access;

    public ConnectionService(Connections connections, ConnectionProperties properties, Timeline timeline,
                             Access access) {
        this.access = access;
        this.connections = connections;
        this.properties = properties;
        this.timeline = timeline;
    }

    /** Every connection the person asking may read (a merchant user: its own), in order. */
    public List<ConnectionView> views() {
        return access.filter(connections.all(), Connection::id).stream().map(this::view).toList();
    }

    public Optional<ConnectionView> view(String id) {
        return connections.find(id).map(this::view);
    }

    public Connection connection(String id) {
        return connections.find(id).orElseThrow(() -> new NotFound("no connection " + id));
    }

    ConnectionView view(Connection c) {
        return ConnectionView.of(c, connections.origin(c.id()).name().toLowerCase(), connections.isPaused(c.id()));
    }

    // ---------------------------------------------------------------- create and edit

    public ConnectionView create(ConnectionInput input, String by) {
        String id = input.id() == null ? "" : input.id().trim();
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("connection id must be 1-50 characters: lower-case letters, digits, "
                    + "'-' or '_' (it appears in the webhook URLs)");
        }
        if (connections.find(id).isPresent()) {
            throw new Conflict("connection " + id + " already exists");
        }
        Connection created = merge(id, null, input);
        connections.save(created, by);
        timeline.record(null, id, null, CONNECTION_CREATED, "connection created by " + by);
        return view(created);
    }

    public ConnectionView update(String id, ConnectionInput input, String by) {
        Connection existing = connections.find(id).orElseThrow(() -> new NotFound("no connection " + id));
        Connection updated = merge(id, existing, input);
        connections.save(updated, by);
        timeline.record(null, id, null, CONNECTION_EDITED, "settings edited by " + by + describeMapping(updated)
                + describeRmaDefaults(updated));
        return view(updated);
    }

    /** The status mapping editor: only the mapping fields change. */
    public ConnectionView updateMapping(String id, List<String> process, List<String> flag, List<String> ignore,
                                        String unmapped, String closeStatus, String receiptRule, String by) {
        Connection existing = connections.find(id).orElseThrow(() -> new NotFound("no connection " + id));
        ConnectionInput input = new ConnectionInput(id, null, null, null, null, null, null, null,
                existing.shiphero().customerAccountId(), existing.shiphero().warehouseId(), process, flag, ignore,
                unmapped, closeStatus, receiptRule, null, null, null, null, null, null, null, null, null);
        return update(id, input, by);
    }

    /**
     * The mapping editor with the per_item rule's problem conditions too (null keeps them; an empty list: none is a
     * problem).
     */
    public ConnectionView updateMapping(String id, List<String> process, List<String> flag, List<String> ignore,
                                        String unmapped, String closeStatus, String receiptRule,
                                        List<String> problemConditions, String by) {
        if (problemConditions == null) {
            return updateMapping(id, process, flag, ignore, unmapped, closeStatus, receiptRule, by);
        }
        List<String> conditions = statuses(problemConditions, List.of());
        if (conditions.stream().anyMatch(c -> c.length() > 100) || String.join("\n", conditions).length() > 1000) {
            throw new IllegalArgumentException("problem conditions must be at most 100 characters each, 1000 in all");
        }
        Connection existing = connections.find(id).orElseThrow(() -> new NotFound("no connection " + id));
        Connection withConditions = new Connection(id, existing.loop(), existing.shiphero(),
                existing.statusPolicy().withProblemConditions(conditions), existing.closeStatus(),
                existing.rmaDefaults());
        connections.save(withConditions, by);
        return updateMapping(id, process, flag, ignore, unmapped, closeStatus, receiptRule, by);
    }

    /** Sets the connection's ShipHero shop name (blank clears it), as proposed by Connect or typed by the operator. */
    public ConnectionView setShopName(String id, String shopName, String by) {
        Connection existing = connections.find(id).orElseThrow(() -> new NotFound("no connection " + id));
        String name = blankToNull(shopName);
        if (name != null && name.length() > 255) {
            throw new IllegalArgumentException("ShipHero shop name must be at most 255 characters");
        }
        Connection updated = new Connection(id, existing.loop(), existing.shiphero().withShopName(name),
                existing.statusPolicy(), existing.closeStatus(), existing.rmaDefaults());
        connections.save(updated, by);
        timeline.record(null, id, null, CONNECTION_EDITED, "ShipHero shop name " + (name == null ? "cleared"
                : "set to " + name) + " by " + by);
        return view(updated);
    }

    public boolean delete(String id, String by) {
        boolean deleted = connections.deleteStored(id, properties);
        if (deleted) {
            timeline.record(null, id, null, CONNECTION_DELETED, "stored connection deleted by " + by);
        }
        return deleted;
    }

    private Connection merge(String id, Connection old, ConnectionInput in) {
        Connection.LoopSettings oldLoop = old == null ? null : old.loop();
        Connection.ShipHeroSettings oldSh = old == null ? null : old.shiphero();
        String loopBase = url(pick(in.loopBaseUrl(), oldLoop == null
                ? com.returnbridge.connection.ConnectionProperties.LoopConfig.DEFAULT_BASE_URL
                : oldLoop.baseUrl()), "Loop base URL");
        String shBase = url(pick(in.shipheroBaseUrl(), oldSh == null ? "https://public-api.shiphero.com"
                : oldSh.baseUrl()), "ShipHero base URL");
        StatusPolicy oldPolicy = old == null ? StatusPolicy.defaults() : old.statusPolicy();
        StatusAction unmapped;
        ReceiptRule rule;
        try {
            unmapped = in.unmappedAction() == null || in.unmappedAction().isBlank() ? oldPolicy.unmappedAction()
                    : StatusAction.parse(in.unmappedAction());
            rule = in.receiptRule() == null || in.receiptRule().isBlank() ? oldPolicy.receiptRule()
                    : ReceiptRule.parse(in.receiptRule());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unmapped action must be process, flag or ignore; receipt rule must be "
                    + "all_units, any_unit, status_only or per_item");
        }
        StatusPolicy policy = new StatusPolicy(
                statuses(in.processStatuses(), oldPolicy.listed(StatusAction.PROCESS)),
                statuses(in.flagStatuses(), oldPolicy.listed(StatusAction.FLAG)),
                statuses(in.ignoreStatuses(), oldPolicy.listed(StatusAction.IGNORE)), unmapped, rule)
                .withProblemConditions(oldPolicy.problemConditions());
        return new Connection(id,
                new Connection.LoopSettings(loopBase, secret(in.loopApiKey(), oldLoop == null ? null : oldLoop.apiKey()),
                        secret(in.loopWebhookSecret(), oldLoop == null ? null : oldLoop.webhookSecret())),
                new Connection.ShipHeroSettings(shBase,
                        secret(in.shipheroRefreshToken(), oldSh == null ? null : oldSh.refreshToken()),
                        secret(in.shipheroAccessToken(), oldSh == null ? null : oldSh.accessToken()),
                        secret(in.shipheroWebhookSecret(), oldSh == null ? null : oldSh.webhookSecret()),
                        in.customerAccountId() == null ? (oldSh == null ? null : oldSh.customerAccountId())
                                : blankToNull(in.customerAccountId()),
                        in.warehouseId() == null ? (oldSh == null ? null : oldSh.warehouseId())
                                : blankToNull(in.warehouseId()),
                        in.shipheroShopName() == null ? (oldSh == null ? null : oldSh.shopName())
                                : blankToNull(in.shipheroShopName())),
                policy, pick(in.closeStatus(), old == null ? "Complete" : old.closeStatus()),
                rmaDefaults(old == null ? Connection.RmaDefaults.standard() : old.rmaDefaults(), in));
    }

    /** RMA defaults: a blank or absent field keeps the current value; the rest is checked like ShipHero would. */
    static Connection.RmaDefaults rmaDefaults(Connection.RmaDefaults old, ConnectionInput in) {
        return old.with(new Connection.RmaDefaults(in.rmaLabelType(), in.rmaLabelCost(), in.rmaShippingCarrier(),
                in.rmaShippingMethod(), in.rmaWeight(), in.rmaLength(), in.rmaWidth(), in.rmaHeight()));
    }

    private static List<String> statuses(List<String> given, List<String> old) {
        if (given == null) {
            return old;
        }
        List<String> out = new ArrayList<>();
        for (String g : given) {
            if (g == null) {
                continue;
            }
            for (String part : g.split("[,\\n]")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    private static Secret secret(String given, Secret old) {
        return given == null || given.isBlank() ? old : Secret.of(given.trim());
    }

    private static String pick(String given, String fallback) {
        return given == null || given.isBlank() ? fallback : given.trim();
    }

    private static String url(String value, String what) {
        if (!value.startsWith("https://") && !value.startsWith("http://")) {
            throw new IllegalArgumentException(what + " must start with https:// or http://");
        }
        return value.replaceAll("/+$", "");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String describeMapping(Connection c) {
        StatusPolicy p = c.statusPolicy();
        return "; mapping: process " + p.listed(StatusAction.PROCESS) + ", flag " + p.listed(StatusAction.FLAG)
                + ", ignore " + p.listed(StatusAction.IGNORE) + ", unmapped → " + p.unmappedAction().name().toLowerCase()
                + ", close status '" + c.closeStatus() + "', receipt rule " + p.receiptRule().name().toLowerCase()
                + ", problem conditions " + p.problemConditions();
    }

    private static String describeRmaDefaults(Connection c) {
        Connection.RmaDefaults d = c.rmaDefaults();
        boolean sized = d.length() != null || d.width() != null || d.height() != null;
        return "; RMA defaults: label " + d.labelType() + " cost " + d.labelCost() + ", " + d.shippingCarrier() + " "
                + d.shippingMethod() + ", weight " + orDash(d.weight())
                + (sized ? ", " + orDash(d.length()) + " × " + orDash(d.width()) + " × " + orDash(d.height()) : "");
    }

    private static String orDash(String value) {
        return value == null || value.isBlank() ? "—" : value;
    }
}
