-- The Idempotency-Key an admin adjustment was applied under (null for adjustments made before keys were required),
-- so the audit shows which request a change came from. Repeats are never audited: they apply nothing.
ALTER TABLE inventory_adjustments ADD COLUMN idempotency_key text;
