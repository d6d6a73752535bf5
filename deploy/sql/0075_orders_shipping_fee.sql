-- Shipping fees (freight templates, Shop.Grains/Shipping): the fee each order's total_fen includes, as a column for
-- reports and reconciliation queries. The order's state holds it (OrderState.ShippingFeeFen), so the column is computed
-- from the state and no write path changes; orders made before fees read 0.
ALTER TABLE orders ADD COLUMN IF NOT EXISTS shipping_fee_fen bigint
    GENERATED ALWAYS AS (COALESCE((state->>'shippingFeeFen')::bigint, 0)) STORED;
