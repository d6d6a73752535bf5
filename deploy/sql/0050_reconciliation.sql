-- Daily reconciliation against WeChat Pay's bills (对账): one run per bill date, the bill rows as downloaded, and the
-- differences found, which an operator works through (open → resolved) unless the job settled them itself.

-- One row per bill date (Beijing time). status: running, completed, failed (retried later by the date's grain).
CREATE TABLE IF NOT EXISTS reconciliation_runs (
    bill_date     date        PRIMARY KEY,
    status        text        NOT NULL,
    attempt       integer     NOT NULL DEFAULT 1,
    requested_by  text        NOT NULL,
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    trade_rows    integer     NOT NULL DEFAULT 0,
    fund_rows     integer     NOT NULL DEFAULT 0,
    matched       integer     NOT NULL DEFAULT 0,
    differences   integer     NOT NULL DEFAULT 0,
    settled       integer     NOT NULL DEFAULT 0,
    error         text
);

-- The bills' rows, replaced as a whole by every run of the date (so a re-run never doubles them). bill: trade or fund.
-- Money in fen; fees in thousandths of a fen (bills state them to 0.00001 yuan).
CREATE TABLE IF NOT EXISTS reconciliation_bill_rows (
    bill_date      date        NOT NULL,
    bill           text        NOT NULL,
    row_no         integer     NOT NULL,
    occurred_at    timestamptz NOT NULL,
    business_no    text        NOT NULL,
    out_trade_no   text,
    out_refund_no  text,
    state          text        NOT NULL,
    amount_fen     bigint      NOT NULL,
    fee_milli_fen  bigint      NOT NULL DEFAULT 0,
    matched        boolean     NOT NULL DEFAULT false,
    row_data       jsonb       NOT NULL,
    PRIMARY KEY (bill_date, bill, row_no)
);

CREATE INDEX IF NOT EXISTS reconciliation_bill_rows_trade_no ON reconciliation_bill_rows (out_trade_no);

-- A difference is identified by its date, kind and reference (the out_trade_no, out_refund_no or a fixed name for
-- totals): a re-run finds the same one again and updates it instead of adding another. status: settled (the job fixed
-- it: e.g. a payment whose notification was lost, now applied), open, resolved (by an operator, who says why, or by a
-- re-run that no longer finds it).
CREATE TABLE IF NOT EXISTS reconciliation_differences (
    id             text        PRIMARY KEY,
    bill_date      date        NOT NULL,
    kind           text        NOT NULL,
    reference      text        NOT NULL,
    out_trade_no   text,
    out_refund_no  text,
    transaction_id text,
    bill_fen       bigint,
    shop_fen       bigint,
    detail         text        NOT NULL,
    status         text        NOT NULL,
    settlement     text,
    found_at       timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    resolved_by    text,
    resolved_at    timestamptz,
    resolution     text,
    UNIQUE (bill_date, kind, reference)
);

CREATE INDEX IF NOT EXISTS reconciliation_differences_status ON reconciliation_differences (status, bill_date DESC, id);
