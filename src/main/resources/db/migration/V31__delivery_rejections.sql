-- Operator console: rejected deliveries per connection, and the periodic check of ShipHero's Return Update webhook.
-- Portable between H2 and PostgreSQL, like V1.

-- Deliveries refused before anything was stored (bad or missing signature, malformed, too large), counted per known
-- connection, source and reason. Bounded: one row per (connection, source, reason). Counters only: a rejected body is
-- unauthenticated and may be an attack, so no body, header or signature is ever kept; last_detail is the one-line
-- reason we answered. An unknown connection has nothing to attribute to and gets no row (only the metric).
CREATE TABLE delivery_rejection (
    connection_id  VARCHAR(100)             NOT NULL,
    source         VARCHAR(20)              NOT NULL,
    reason         VARCHAR(30)              NOT NULL,
    rejected_count BIGINT DEFAULT 0         NOT NULL,
    first_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    last_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    last_detail    VARCHAR(200),
    PRIMARY KEY (connection_id, source, reason)
);

-- Per connection and vendor: the webhook URL Connect registered, and the latest check that the vendor still holds
-- it (verdict REGISTERED, MISSING, WRONG_URL or CHECK_FAILED, with a one-line detail). changed_at: when the verdict
-- last changed.
CREATE TABLE webhook_check (
    connection_id  VARCHAR(100)             NOT NULL,
    vendor         VARCHAR(20)              NOT NULL,
    registered_url VARCHAR(500),
    registered_at  TIMESTAMP WITH TIME ZONE,
    checked_at     TIMESTAMP WITH TIME ZONE,
    verdict        VARCHAR(20),
    detail         VARCHAR(500),
    changed_at     TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (connection_id, vendor)
);
