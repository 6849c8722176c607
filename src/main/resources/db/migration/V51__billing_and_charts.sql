-- Billing export and console charts (issue 13). Portable between H2 and PostgreSQL, like V1.
-- The export reads one connection's returns by creation time (a month, up to a year) with a cursor; without this
-- index it walks ix_link_created across every connection of a 3PL.
CREATE INDEX ix_link_connection_created ON return_link (connection_id, created_at);
-- The charts read the last weeks of a few timeline kinds; ix_timeline_kind (kind, id) would walk every entry of
-- those kinds ever written.
CREATE INDEX ix_timeline_kind_at ON timeline_entry (kind, at);
