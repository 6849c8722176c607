-- A signed delivery we cannot read is stored anyway (outcome UNREADABLE) with the one-line reason, so it can be shown,
-- alerted and replayed once a fix or an upgrade reads it. Portable between H2 and PostgreSQL, like V1.
ALTER TABLE delivery ADD COLUMN unreadable_reason VARCHAR(300);
-- NULL: body is the text as received. 'base64': the bytes were not UTF-8 text (or held a NUL, which PostgreSQL text
-- cannot hold), so body keeps them base64-encoded and replay decodes them.
ALTER TABLE delivery ADD COLUMN body_encoding VARCHAR(10);
CREATE INDEX ix_delivery_outcome ON delivery (connection_id, outcome);
