import { test } from "node:test";
import assert from "node:assert/strict";
import { client, register, raw } from "./helpers.mjs";

const home = {
  first_name: "Jane", last_name: "Doe", address1: "1 Main St", city: "New York", postal_code: "10001",
  country_iso: "US", state_abbr: "NY",
};

test("Idempotency-Key: a retried mutation is applied once and replayed", async () => {
  const c = client();
  const reg = await register(c);
  const key = `spree-sdk-retry-${crypto.randomUUID()}`;
  const opts = { token: reg.token, idempotencyKey: key };
  const a = await c.customer.addresses.create(home, opts);
  const b = await c.customer.addresses.create(home, opts);
  assert.equal(b.id, a.id);
  const list = await c.customer.addresses.list({}, { token: reg.token });
  assert.equal(list.meta.count, 1);
  // The replay says so in a header the SDK does not surface.
  const r = await raw("POST", "/customers/me/addresses", { body: home, token: reg.token, headers: { "idempotency-key": key } });
  assert.equal(r.status, 201);
  assert.equal(r.headers.get("idempotent-replayed"), "true");
  assert.equal(r.json.id, a.id);
  // The same key with another request is refused.
  await assert.rejects(c.customer.addresses.create({ ...home, address1: "2 Side St" }, opts),
    (err) => err.name === "SpreeError" && err.status === 422 && err.code === "idempotency_key_reused");
  // Another shopper's identical key is theirs alone.
  const other = await register(c);
  const o = await c.customer.addresses.create(home, { token: other.token, idempotencyKey: key });
  assert.notEqual(o.id, a.id);
  // Deletes replay as 204 too.
  const delOpts = { token: reg.token, idempotencyKey: `del-${crypto.randomUUID()}` };
  assert.equal(await c.customer.addresses.delete(a.id, delOpts), undefined);
  assert.equal(await c.customer.addresses.delete(a.id, delOpts), undefined);
});
