-- Orders: each order's durable record (the "orders" grain storage) is also its read-model row, so creating an order
-- is one INSERT and each change one UPDATE fenced by version. The state holds the shipping address encrypted.
CREATE TABLE IF NOT EXISTS orders (
    order_no   text        PRIMARY KEY,
    user_id    text        NOT NULL,
    status     text        NOT NULL,
    total_fen  bigint      NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version    bigint      NOT NULL,
    state      jsonb       NOT NULL
);

-- A customer's orders newest first; the admin list (optionally by status) newest first.
CREATE INDEX IF NOT EXISTS orders_user_created ON orders (user_id, created_at DESC, order_no DESC);
CREATE INDEX IF NOT EXISTS orders_status_created ON orders (status, created_at DESC, order_no DESC);
CREATE INDEX IF NOT EXISTS orders_created ON orders (created_at DESC, order_no DESC);
