-- Loop's list leaves cancelled and review returns out unless asked for by name: a backfill by dates reads its range
-- once per state query (the default states, then review, then cancelled). state_pass says which read it is on.
ALTER TABLE backfill_run ADD COLUMN state_pass INT DEFAULT 0 NOT NULL;
