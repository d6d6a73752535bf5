-- Orders: worker-id leases for order numbers, and the append-only order event log.

-- One row per snowflake worker id (0..1023). A silo claims a free or expired row at start, renews it while it runs
-- and releases it on stop. high_water_ms is the highest timestamp (ms since 2025-01-01 UTC) a holder may have put
-- into an order number; the next holder starts above it, so numbers stay unique even when clocks step back.
CREATE TABLE IF NOT EXISTS order_worker_leases (
    worker_id     integer     PRIMARY KEY CHECK (worker_id BETWEEN 0 AND 1023),
    silo          text        NOT NULL DEFAULT '',
    leased_until  timestamptz NOT NULL DEFAULT '-infinity',
    high_water_ms bigint      NOT NULL DEFAULT 0
);

INSERT INTO order_worker_leases (worker_id)
SELECT g FROM generate_series(0, 1023) AS g
ON CONFLICT (worker_id) DO NOTHING;

-- Every order event once (event_id is the idempotency key of a publish), in commit order of seq.
CREATE TABLE IF NOT EXISTS order_events (
    seq         bigserial   PRIMARY KEY,
    event_id    uuid        NOT NULL UNIQUE,
    order_no    text        NOT NULL,
    type        text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    payload     jsonb       NOT NULL
);

CREATE INDEX IF NOT EXISTS order_events_order_no ON order_events (order_no, seq);
