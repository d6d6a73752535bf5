-- Orders whose WeChat shipping-information upload is pending or failed (Shop.Grains/Fulfilment): the admin list and the
-- backlog gauges read only these rows, so the index holds only them (an uploaded order leaves it).
CREATE INDEX IF NOT EXISTS orders_shipping_upload ON orders ((state->'fulfilment'->'upload'->>'state'), order_no)
    WHERE state->'fulfilment'->'upload'->>'state' IN ('Pending', 'Failed');
