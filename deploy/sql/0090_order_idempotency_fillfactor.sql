-- Every key's row is inserted and then, milliseconds later, updated once with its answer. With full pages (the
-- default fillfactor 100) that update cannot stay on the row's page, so it also writes a new entry into both indexes
-- (grain_key, created_at): three writes and their WAL per order instead of one. Half-empty pages let the answer's
-- update be a heap-only (HOT) update. Applies to pages written from now on; VACUUM FULL rewrites old ones if wanted.
ALTER TABLE order_idempotency SET (fillfactor = 50);
