-- Loop's Process only queues the work: the link waits in PROCESSED until Loop reports the return closed.
-- processed_at: when Loop accepted Process (a re-read of Return Details follows when no webhook came).
-- loop_processing_failure: what Loop's return.processing.failed webhook said, until the job acts on it.
ALTER TABLE return_link ADD COLUMN processed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE return_link ADD COLUMN loop_processing_failure VARCHAR(2000);
