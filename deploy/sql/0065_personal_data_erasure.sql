-- Personal data: erasure requests (customer or admin), the retention job's index, and the JSON scrub used on logs.

-- One row per customer who asked to be erased (key: SHA-256 of the user id, so a completed row no longer names them;
-- user_id is kept only while the request is pending). due_at: when the personal-data sweep next looks at it (an
-- order was still in a payment, refund or after-sales window).
CREATE TABLE IF NOT EXISTS personal_data_erasures (
    lookup_key   text        PRIMARY KEY,
    request_id   text        NOT NULL UNIQUE,
    user_id      text,
    status       text        NOT NULL,
    requested_at timestamptz NOT NULL,
    completed_at timestamptz,
    due_at       timestamptz,
    version      bigint      NOT NULL,
    state        jsonb       NOT NULL
);

CREATE INDEX IF NOT EXISTS personal_data_erasures_due ON personal_data_erasures (due_at, lookup_key) WHERE due_at IS NOT NULL;

-- Retention: finished orders whose personal fields are still there, oldest change first (the job pages through it).
CREATE INDEX IF NOT EXISTS orders_retention ON orders (updated_at, order_no)
    WHERE status IN ('Completed', 'Cancelled', 'Refunded', 'Rejected') AND (state->>'personalDataErasedAt') IS NULL;

-- Replaces whole JSON string values (each find as it is written in JSON, quotes included) in a document, e.g. a user id
-- by its pseudonym: a value that merely contains the find (another user's longer id) is left alone.
CREATE OR REPLACE FUNCTION shop_scrub_json(doc jsonb, finds text[], replacements text[]) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    t text := doc::text;
BEGIN
    FOR i IN 1 .. coalesce(array_length(finds, 1), 0) LOOP
        t := replace(t, to_jsonb(finds[i])::text, to_jsonb(replacements[i])::text);
    END LOOP;
    RETURN t::jsonb;
END
$$;
