-- Idempotency-Key records were keyed "{caller}:{key}", so two (caller, key) pairs could share one record: caller
-- "alice" with key "checkout:42" and caller "alice:checkout" with key "42". They are now keyed by
-- 'v2:' || hex(sha256(int4(byte length of caller) || caller || key)) (IdempotencyKeys.GrainKey), which keeps the two apart.
--
-- A record whose order exists is moved to its new key when the order's owner proves which caller wrote it. Its stored
-- answer is dropped (it was sealed under the old key): a repeat within the 24 h gets the same order again, answered
-- from the order as it is now. Records without an order (a refused create, or one interrupted before its order was
-- stored) cannot be attributed and stay under their old key, which nothing looks up any more; the daily purge removes
-- them, and a repeat of such a request is decided afresh.
UPDATE order_idempotency AS i
SET grain_key = 'v2:' || encode(sha256(
        int4send(octet_length(o.user_id)) || convert_to(o.user_id, 'UTF8')
        || convert_to(substr(i.grain_key, char_length(o.user_id) + 2), 'UTF8')), 'hex'),
    status_code = NULL,
    body = NULL
FROM orders AS o
WHERE o.order_no = i.order_no
  AND i.grain_key NOT LIKE 'v2:%'
  AND starts_with(i.grain_key, o.user_id || ':');
