-- Operators' reads of customers' personal data (PIPL Art. 51 security logs): who saw whose data, which fields, why,
-- when and in which trace. Written before the data is answered; never updated.
CREATE TABLE IF NOT EXISTS personal_data_access (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,
    admin_id    text        NOT NULL,
    customer_id text        NOT NULL,
    order_no    text,
    fields      text[]      NOT NULL,
    purpose     text        NOT NULL,
    reason      text,
    trace_id    text
);

-- The admin query filters by customer or by admin, newest first; "from" alone walks the primary key.
CREATE INDEX IF NOT EXISTS personal_data_access_customer ON personal_data_access (customer_id, id DESC);
CREATE INDEX IF NOT EXISTS personal_data_access_admin ON personal_data_access (admin_id, id DESC);
CREATE INDEX IF NOT EXISTS personal_data_access_at ON personal_data_access (at);
