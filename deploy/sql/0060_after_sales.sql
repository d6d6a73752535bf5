-- After-sales requests (售后: refund only, return and refund): each request's durable record (its grain's state, as
-- jsonb) beside the columns the admin lists filter on. The order keeps what each request claims of its lines.
CREATE TABLE IF NOT EXISTS after_sales_requests (
    request_id text        PRIMARY KEY,
    order_no   text        NOT NULL,
    user_id    text        NOT NULL,
    status     text        NOT NULL,
    kind       text        NOT NULL,
    amount_fen bigint      NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    due_at     timestamptz,
    version    bigint      NOT NULL,
    state      jsonb       NOT NULL
);

-- The admin's to-do lists (by status, oldest first) and their counts; an order's requests; the due sweep.
CREATE INDEX IF NOT EXISTS after_sales_status_created ON after_sales_requests (status, created_at, request_id);
CREATE INDEX IF NOT EXISTS after_sales_order ON after_sales_requests (order_no, created_at);
CREATE INDEX IF NOT EXISTS after_sales_due ON after_sales_requests (due_at, request_id) WHERE due_at IS NOT NULL;
