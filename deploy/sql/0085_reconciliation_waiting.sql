-- A bill date whose bills WeChat Pay is still making (STATEMENT_CREATING) waits instead of failing: status 'waiting',
-- and since when, so the wait is bounded (Reconciliation:BillWaitLimit). Cleared when the date completes.
ALTER TABLE reconciliation_runs ADD COLUMN IF NOT EXISTS waiting_since timestamptz;
