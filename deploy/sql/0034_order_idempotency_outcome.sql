-- The answer of an Idempotency-Key is now stored as the order's outcome (serialized, then encrypted like the body was),
-- which the API formats the same way for the first answer and every replay: the API makes one call per order instead
-- of a second one to store the formatted body. Keys answered before keep their status_code and body until they expire.
ALTER TABLE order_idempotency ADD COLUMN IF NOT EXISTS outcome text;
