-- Orders: when each order next needs attention, and the Idempotency-Key records of order creation.

-- due_at is when the order must act by itself (the payment timeout while unpaid, auto-completion while shipped), or
-- null. One always-on sweep (a single durable reminder) wakes the orders whose due_at has passed, instead of each
-- order registering and deleting a reminder row of its own: that would be two more statements per order.
ALTER TABLE orders ADD COLUMN IF NOT EXISTS due_at timestamptz;

CREATE INDEX IF NOT EXISTS orders_due ON orders (due_at) WHERE due_at IS NOT NULL;

-- Rows written before this column existed: unpaid (or still reserving) orders are due at their expiry, shipped ones
-- ten days (the default) after shipping, and a cancelled order that may still hold stock right away.
UPDATE orders SET due_at = CASE
        WHEN status IN ('PendingPayment', 'Reserving') THEN (state->>'expiresAt')::timestamptz
        WHEN status = 'Shipped' THEN (state->'shipment'->>'shippedAt')::timestamptz + interval '10 days'
        WHEN state->>'stock' = 'Releasing' THEN updated_at
    END
WHERE due_at IS NULL;

-- One row per user and Idempotency-Key of POST /api/orders: the order number it reserved and, once answered, the
-- answer (status and body, the body encrypted: it holds the shipping address). Rows older than 24 h are void.
CREATE TABLE IF NOT EXISTS order_idempotency (
    grain_key    text        PRIMARY KEY,
    request_hash text        NOT NULL,
    order_no     text        NOT NULL,
    created_at   timestamptz NOT NULL,
    status_code  integer,
    body         text
);

CREATE INDEX IF NOT EXISTS order_idempotency_created ON order_idempotency (created_at);
