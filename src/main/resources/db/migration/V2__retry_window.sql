-- When the current run of transient failures began, so a return stuck behind a vendor outage for longer than the
-- give-up window is shown to a person instead of retrying quietly forever.
ALTER TABLE return_link ADD COLUMN failing_since TIMESTAMP WITH TIME ZONE;
