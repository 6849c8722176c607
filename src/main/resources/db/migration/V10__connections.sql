-- Connections created or edited in the console / admin API (configured ones live in properties; a row here with the
-- same id overrides them). Secret columns hold AES-GCM ciphertext "v1:<key id>:<base64>", never plain text.
CREATE TABLE connection_config (
    id                      VARCHAR(100)             NOT NULL PRIMARY KEY,
    loop_base_url           VARCHAR(500)             NOT NULL,
    loop_api_key            VARCHAR(2000),
    loop_webhook_secret     VARCHAR(2000),
    shiphero_base_url       VARCHAR(500)             NOT NULL,
    shiphero_refresh_token  VARCHAR(4000),
    shiphero_access_token   VARCHAR(8000),
    shiphero_webhook_secret VARCHAR(2000),
    customer_account_id     VARCHAR(200),
    warehouse_id            VARCHAR(200),
    process_statuses        VARCHAR(2000)            NOT NULL,
    flag_statuses           VARCHAR(2000)            NOT NULL,
    ignore_statuses         VARCHAR(2000)            NOT NULL,
    unmapped_action         VARCHAR(20)              NOT NULL,
    close_status            VARCHAR(100)             NOT NULL,
    receipt_rule            VARCHAR(20)              NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by              VARCHAR(100)
);

-- Pause state of any connection (configured or stored). Paused: deliveries are stored, jobs wait.
CREATE TABLE connection_state (
    connection_id VARCHAR(100)             NOT NULL PRIMARY KEY,
    paused        BOOLEAN                  NOT NULL,
    changed_by    VARCHAR(100),
    changed_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The console filters returns by date and the alerting hook reads new timeline entries by kind.
CREATE INDEX ix_link_created ON return_link (created_at);
CREATE INDEX ix_timeline_kind ON timeline_entry (kind, id);
CREATE INDEX ix_delivery_subject ON delivery (connection_id, subject_id);
