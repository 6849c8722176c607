-- The delivery table is also the intake's inbox: a webhook is answered once its row is committed (one insert), and
-- the router does the rest later (links, timeline, jobs). routed_at is NULL until the router has done so; rows from
-- before the inbox were routed when they were received.
ALTER TABLE delivery ADD COLUMN routed_at TIMESTAMP WITH TIME ZONE;
UPDATE delivery SET routed_at = received_at;
-- The router takes unrouted rows in arrival order; the backlog gauges count them.
CREATE INDEX ix_delivery_routing ON delivery (routed_at, id);
