-- Products with variants (SKUs). The product grain's state is the truth and reads rows stored before variants as a
-- product with one SKU whose id is the product id; this script brings the read model to the same shape, so every
-- existing product lists as a product with one variant, and its stock, orders and cart lines keep their ids.
ALTER TABLE catalog_products
    -- The highest price among the on-shelf variants (price_fen is the lowest): a listing shows "from ... to ...".
    ADD COLUMN max_price_fen bigint NULL,
    ADD COLUMN variant_count integer NOT NULL DEFAULT 1,
    -- The on-shelf SKUs of a product with options (their stock is summed from catalog_skus); NULL for a product
    -- without options, whose single SKU is the product itself and keeps inventory_available in this row.
    ADD COLUMN on_shelf_skus text[] NULL;

UPDATE catalog_products SET max_price_fen = price_fen WHERE max_price_fen IS NULL;

-- The available stock of every variant SKU (ids "{productId}.{suffix}"), projected by each SKU's InventoryGrain the
-- same way inventory_available is for a single-SKU product: a late or repeated write of an older level never wins.
CREATE TABLE catalog_skus (
    sku_id              text   PRIMARY KEY,
    product_id          text   NOT NULL,
    inventory_available bigint NOT NULL,
    inventory_version   bigint NOT NULL
);
