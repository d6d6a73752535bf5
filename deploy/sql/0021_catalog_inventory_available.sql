-- The storefront list shows each product's available stock, projected by InventoryGrain after its writes.
-- inventory_version fences that projection: a late or repeated write of an older level never wins.
ALTER TABLE catalog_products ADD COLUMN inventory_version bigint NULL;
