-- Catalog read model: one row per product, written by ProductGrain after its own state write (the grain state is
-- the truth). A row only ever moves forward: the upsert applies a version only when it is newer than the stored one.
CREATE TABLE catalog_products (
    id                  text        PRIMARY KEY,
    name                text        NOT NULL,
    description         text        NOT NULL,
    price_fen           bigint      NOT NULL CHECK (price_fen > 0),
    category_id         text        NOT NULL,
    attributes          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    image_url           text        NULL,
    status              text        NOT NULL CHECK (status IN ('Draft', 'OnShelf', 'OffShelf')),
    deleted             boolean     NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    version             bigint      NOT NULL,
    -- Owned by the inventory side, which keeps it current; the catalog never writes it. NULL = not known yet.
    inventory_available bigint      NULL
);

-- Storefront listings only ever see on-shelf, non-deleted rows: partial indexes for the three sort orders.
CREATE INDEX catalog_products_shelf_category_price ON catalog_products (category_id, price_fen, id)
    WHERE status = 'OnShelf' AND NOT deleted;
CREATE INDEX catalog_products_shelf_price ON catalog_products (price_fen, id)
    WHERE status = 'OnShelf' AND NOT deleted;
CREATE INDEX catalog_products_shelf_newest ON catalog_products (created_at DESC, id)
    WHERE status = 'OnShelf' AND NOT deleted;

-- "Is this category still in use?" counts non-deleted products of any status.
CREATE INDEX catalog_products_category_live ON catalog_products (category_id) WHERE NOT deleted;

-- Keyword search is ILIKE '%kw%'. Trigram indexes make it fast when pg_trgm can be installed; without them the
-- same query still works (a scan), so a database user without the right to create extensions is not blocked.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX catalog_products_name_trgm ON catalog_products USING gin (name gin_trgm_ops);
        CREATE INDEX catalog_products_description_trgm ON catalog_products USING gin (description gin_trgm_ops);
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'pg_trgm not installed (%): keyword search runs without trigram indexes', SQLERRM;
END
$$;
