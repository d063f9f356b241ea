import { test } from "node:test";
import assert from "node:assert/strict";
import { client, register } from "./helpers.mjs";

const KEYS = ["id", "first_name", "last_name", "full_name", "address1", "address2", "postal_code", "city", "phone",
  "company", "country_name", "country_iso", "state_text", "state_abbr", "state_name", "quick_checkout",
  "is_default_billing", "is_default_shipping"];

const home = {
  first_name: "Jane", last_name: "Doe", address1: "1 Main St", city: "New York", postal_code: "10001",
  country_iso: "us", state_abbr: "NY",
};

test("customer.addresses.create: the first address becomes default billing and shipping", async () => {
  const c = client();
  const reg = await register(c);
  const opts = { token: reg.token };
  const a = await c.customer.addresses.create(home, opts);
  for (const k of KEYS) assert.ok(k in a, "missing " + k);
  assert.match(a.id, /^addr_[A-Za-z0-9]+$/);
  assert.equal(a.country_iso, "US");
  assert.equal(a.country_name, "United States");
  assert.equal(a.state_abbr, "NY");
  assert.equal(a.address2, null);
  assert.equal(a.full_name, "Jane Doe");
  assert.equal(a.is_default_billing, true);
  assert.equal(a.is_default_shipping, true);
  const b = await c.customer.addresses.create({ ...home, address1: "2 Side St" }, opts);
  assert.equal(b.is_default_billing, false);
  const me = await c.customer.get(opts);
  assert.equal(me.default_billing_address.id, a.id);
  assert.equal(me.addresses.length, 2);
});

test("customer.addresses.list/get/update/delete", async () => {
  const c = client();
  const reg = await register(c);
  const opts = { token: reg.token };
  const empty = await c.customer.addresses.list({}, opts);
  assert.deepEqual(empty, { data: [], meta: { page: 1, limit: 25, count: 0, pages: 1, from: 0, to: 0, in: 0, previous: null, next: null } });
  const a = await c.customer.addresses.create(home, opts);
  const b = await c.customer.addresses.create({ ...home, address1: "2 Side St" }, opts);
  const page = await c.customer.addresses.list({ page: 1, limit: 1 }, opts);
  assert.equal(page.data.length, 1);
  assert.deepEqual(page.meta, { page: 1, limit: 1, count: 2, pages: 2, from: 1, to: 1, in: 1, previous: null, next: 2 });
  const got = await c.customer.addresses.get(a.id, opts);
  assert.equal(got.id, a.id);
  const up = await c.customer.addresses.update(b.id, { city: "Brooklyn", is_default_shipping: true }, opts);
  assert.equal(up.id, b.id);
  assert.equal(up.city, "Brooklyn");
  assert.equal(up.address1, "2 Side St");
  assert.equal(up.is_default_shipping, true);
  assert.equal((await c.customer.addresses.get(a.id, opts)).is_default_shipping, false);
  // false changes nothing
  const same = await c.customer.addresses.update(b.id, { is_default_shipping: false }, opts);
  assert.equal(same.is_default_shipping, true);
  assert.equal(await c.customer.addresses.delete(a.id, opts), undefined);
  await assert.rejects(c.customer.addresses.get(a.id, opts), (err) => {
    assert.equal(err.status, 404);
    assert.equal(err.code, "record_not_found");
    assert.equal(err.message, "Address not found");
    return true;
  });
});

test("customer.addresses: another customer's address is 404, no token is 401", async () => {
  const c = client();
  const alice = await register(c);
  const bob = await register(c);
  const a = await c.customer.addresses.create(home, { token: alice.token });
  for (const call of [
    () => c.customer.addresses.get(a.id, { token: bob.token }),
    () => c.customer.addresses.update(a.id, { city: "X" }, { token: bob.token }),
    () => c.customer.addresses.delete(a.id, { token: bob.token }),
  ]) {
    await assert.rejects(call(), (err) => err.status === 404 && err.code === "record_not_found");
  }
  await assert.rejects(c.customer.addresses.list({}), (err) => err.status === 401 && err.code === "authentication_required");
  assert.equal((await c.customer.addresses.get(a.id, { token: alice.token })).city, "New York");
});

test("customer.addresses.create: an unknown country is 422 validation_error", async () => {
  const c = client();
  const reg = await register(c);
  await assert.rejects(c.customer.addresses.create({ ...home, country_iso: "ZZ" }, { token: reg.token }), (err) => {
    assert.equal(err.status, 422);
    assert.equal(err.code, "validation_error");
    assert.ok(Array.isArray(err.details.country));
    return true;
  });
});

test("customer.addresses: Spree's required fields, US states, and updates validated on the merged result", async () => {
  const c = client();
  const reg = await register(c);
  const opts = { token: reg.token };
  await assert.rejects(c.customer.addresses.create({ country_iso: "US" }, opts), (err) => {
    assert.equal(err.code, "validation_error");
    for (const k of ["firstname", "lastname", "address1", "city", "zipcode", "state"]) assert.ok(Array.isArray(err.details[k]), "details." + k);
    return true;
  });
  await assert.rejects(c.customer.addresses.create({ ...home, state_abbr: "XX" }, opts), (err) => Array.isArray(err.details.state));
  const byName = await c.customer.addresses.create({ ...home, state_abbr: undefined, state_name: "New York" }, opts);
  assert.equal(byName.state_name, "New York");
  const a = await c.customer.addresses.create(home, opts);
  assert.equal(a.state_name, "New York");
  assert.equal(a.state_text, "NY");
  await assert.rejects(c.customer.addresses.update(a.id, { city: "" }, opts), (err) => err.status === 422 && Array.isArray(err.details.city));
  assert.equal((await c.customer.addresses.get(a.id, opts)).city, "New York");
  const de = await c.customer.addresses.update(a.id, { country_iso: "DE", postal_code: "10115", city: "Berlin" }, opts);
  assert.deepEqual([de.country_iso, de.country_name, de.state_abbr], ["DE", "Germany", null]);
});
