-- Inventory: one append-only log per SKU plus an occasional snapshot (see Shop.Grains/Inventory).
-- Each row of inventory_log is one group commit: the events of every request that shared that write.
-- The primary key (sku, version) is the fence between two activations of one SKU: a writer that was not at the
-- newest version gets a unique violation. Rows are never deleted: that fence (and the audit of reservations)
-- depends on them; activation reads only the newest snapshot and the rows after it.
CREATE TABLE inventory_log (
    sku        text        NOT NULL,
    version    bigint      NOT NULL,
    events     jsonb       NOT NULL,
    written_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sku, version)
);

-- The state as of "version", written now and then so that activation does not replay the whole log.
CREATE TABLE inventory_snapshot (
    sku        text        PRIMARY KEY,
    version    bigint      NOT NULL,
    state      jsonb       NOT NULL,
    written_at timestamptz NOT NULL DEFAULT now()
);

-- Audit trail of admin stock changes, written in the same transaction as the log row that holds them.
CREATE TABLE inventory_adjustments (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku         text        NOT NULL,
    version     bigint      NOT NULL,
    delta       bigint      NOT NULL,
    reason      text        NOT NULL,
    operator    text        NOT NULL,
    adjusted_at timestamptz NOT NULL
);

CREATE INDEX inventory_adjustments_sku ON inventory_adjustments (sku, adjusted_at);
