-- SLA clocks (issue 13): when each step of a return happened, written once each where the step happens; the link's
-- created_at is the first. Portable between H2 and PostgreSQL, like V1.
--   delivered_at: the carrier delivered the parcel to the warehouse (Loop's label update, label_status delivered)
--   received_at:  the RMA first showed a status other than Pending in ShipHero
--   decided_at:   the bridge decided to process or flag the return
--   confirmed_at: Loop confirmed the return closed (and the RMA was closed)
ALTER TABLE return_link ADD COLUMN delivered_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE return_link ADD COLUMN received_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE return_link ADD COLUMN decided_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE return_link ADD COLUMN confirmed_at TIMESTAMP WITH TIME ZONE;

-- One row per SLA breach sent to the alert hook, so each breach is sent once, across restarts and instances.
CREATE TABLE sla_breach (
    link_id       BIGINT                   NOT NULL,
    queue         VARCHAR(40)              NOT NULL,
    connection_id VARCHAR(100)             NOT NULL,
    due_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    alerted_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (link_id, queue)
);
