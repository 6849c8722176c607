-- The ShipHero shop_name of the merchant's store: an order found by its number is looked for in that store only.
ALTER TABLE connection_config ADD COLUMN shiphero_shop_name VARCHAR(255);

-- When several ShipHero orders could be a return's order: the candidates named to the operator (one per line,
-- "order id|order number|shop name") and the one the operator picked, which the create-RMA job then uses.
CREATE TABLE order_choice (
    link_id         BIGINT                   NOT NULL PRIMARY KEY,
    candidates      VARCHAR(4000)            NOT NULL,
    chosen_order_id VARCHAR(200),
    chosen_by       VARCHAR(100),
    chosen_at       TIMESTAMP WITH TIME ZONE
);
