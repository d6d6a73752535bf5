-- The freight template each product names (NULL: the default template), projected with the rest of the product by
-- ProductGrain, so that deleting a template products still use can be refused (409 FREIGHT_TEMPLATE_IN_USE) instead
-- of silently moving them to the default template. Rows written before this script stay NULL until the product is
-- saved again (the product grain's state is the truth; this column is only its queryable copy).
ALTER TABLE catalog_products ADD COLUMN freight_template_id text NULL;

CREATE INDEX catalog_products_freight_template_live ON catalog_products (freight_template_id)
    WHERE NOT deleted AND freight_template_id IS NOT NULL;
