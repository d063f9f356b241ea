import { test } from "node:test";
import assert from "node:assert/strict";
import { client, register, seed } from "./helpers.mjs";

const notFound = (code) => (err) => err.status === 404 && err.code === code;

test("customer.orders.list/get return the reported completed orders", async () => {
  const c = client();
  const reg = await register(c);
  const opts = { token: reg.token };
  await seed(reg.user);
  const list = await c.customer.orders.list({ sort: "-completed_at" }, opts);
  assert.equal(list.meta.count, 1);
  const o = list.data[0];
  assert.match(o.id, /^or_[A-Za-z0-9]+$/);
  assert.equal(o.total, "1240.56");
  assert.equal(o.display_total, "$1,240.56");
  assert.equal(o.completed_at, "2026-07-28T10:36:30Z");
  assert.equal(o.total_quantity, 2);
  assert.equal(o.items[0].price, "617.28");
  assert.equal(o.shipping_address.country_iso, "US");
  assert.equal(o.billing_address, null);
  assert.deepEqual(o.payments, []);
  const got = await c.customer.orders.get(o.id, {}, opts);
  assert.equal(got.number, o.number);
  const other = await register(c);
  await assert.rejects(c.customer.orders.get(o.id, {}, { token: other.token }), notFound("order_not_found"));
  assert.equal((await c.orders.get(o.id, {}, opts)).id, o.id);
  await assert.rejects(c.orders.get(o.id, {}, { token: other.token }), notFound("order_not_found"));
  await assert.rejects(c.orders.get(o.id, {}, { token: "garbage" }), notFound("order_not_found"));
  await assert.rejects(c.orders.get(o.id), notFound("order_not_found"));
});

test("customer.creditCards list/get/delete show only cards", async () => {
  const c = client();
  const reg = await register(c);
  const opts = { token: reg.token };
  await seed(reg.user);
  const list = await c.customer.creditCards.list({}, opts);
  assert.equal(list.data.length, 1);
  const card = list.data[0];
  assert.match(card.id, /^card_[A-Za-z0-9]+$/);
  assert.deepEqual([card.brand, card.last4, card.month, card.year, card.default], ["visa", "4242", 12, 2030, true]);
  assert.equal((await c.customer.creditCards.get(card.id, opts)).id, card.id);
  const other = await register(c);
  await assert.rejects(c.customer.creditCards.get(card.id, { token: other.token }), notFound("record_not_found"));
  await assert.rejects(c.customer.creditCards.delete(card.id, { token: other.token }), notFound("record_not_found"));
  assert.equal(await c.customer.creditCards.delete(card.id, opts), undefined);
  assert.equal((await c.customer.creditCards.list({}, opts)).meta.count, 0);
});

test("customer.giftCards list/get", async () => {
  const c = client();
  const reg = await register(c);
  const opts = { token: reg.token };
  const ids = await seed(reg.user);
  const list = await c.customer.giftCards.list({}, opts);
  assert.equal(list.data.length, 1);
  const g = list.data[0];
  assert.equal(g.id, ids.gift_card);
  assert.deepEqual([g.status, g.amount, g.amount_remaining, g.display_amount, g.active, g.expired], ["active", "50.0", "50.0", "$50.00", true, false]);
  assert.equal(g.expires_at, null);
  assert.equal((await c.customer.giftCards.get(g.id, opts)).id, g.id);
  const other = await register(c);
  await assert.rejects(c.customer.giftCards.get(g.id, { token: other.token }), notFound("record_not_found"));
});

test("wishlists create/list/get/update/delete", async () => {
  const c = client();
  const reg = await register(c);
  const opts = { token: reg.token };
  await assert.rejects(c.wishlists.create({ name: "" }, opts), (err) => err.status === 422 && err.code === "validation_error" && Array.isArray(err.details.name));
  const a = await c.wishlists.create({ name: "Birthday" }, opts);
  assert.match(a.id, /^wl_[A-Za-z0-9]+$/);
  assert.equal(a.name, "Birthday");
  assert.equal(a.is_private, true);
  assert.match(a.token, /^[A-Za-z0-9_-]+$/);
  assert.ok(!("items" in a));
  const b = await c.wishlists.create({ name: "Xmas", is_default: true }, opts);
  assert.equal(b.is_default, true);
  assert.equal((await c.wishlists.get(a.id, {}, opts)).is_default, false);
  const withItems = await c.wishlists.get(a.id, { expand: ["items"] }, opts);
  assert.deepEqual(withItems.items, []);
  const list = await c.wishlists.list({}, opts);
  assert.deepEqual(list.data.map((w) => w.id), [a.id, b.id]);
  const up = await c.wishlists.update(a.id, { name: "Birthday 2", is_private: false }, opts);
  assert.equal(up.name, "Birthday 2");
  assert.equal(up.is_private, false);
  const other = await register(c);
  await assert.rejects(c.wishlists.get(a.id, {}, { token: other.token }), notFound("record_not_found"));
  await assert.rejects(c.wishlists.update(a.id, { name: "x" }, { token: other.token }), notFound("record_not_found"));
  await assert.rejects(c.wishlists.delete(a.id, { token: other.token }), notFound("record_not_found"));
  assert.equal(await c.wishlists.delete(a.id, opts), undefined);
  await assert.rejects(c.wishlists.get(a.id, {}, opts), notFound("record_not_found"));
});

test("customer.storeCredits list/get: one record per grant with its use", async () => {
  const c = client();
  const reg = await register(c);
  const opts = { token: reg.token };
  await seed(reg.user);
  const list = await c.customer.storeCredits.list({}, opts);
  assert.equal(list.data.length, 1);
  const s = list.data[0];
  assert.match(s.id, /^credit_[A-Za-z0-9]+$/);
  assert.deepEqual([s.amount, s.amount_used, s.amount_remaining, s.display_amount_remaining, s.currency], ["20.0", "5.0", "15.0", "$15.00", "USD"]);
  assert.equal((await c.customer.storeCredits.get(s.id, opts)).id, s.id);
  const me = await c.customer.get(opts);
  assert.equal(me.available_store_credit_total, "15.0");
  assert.equal(me.display_available_store_credit_total, "$15.00");
  const other = await register(c);
  await assert.rejects(c.customer.storeCredits.get(s.id, { token: other.token }), (err) => err.status === 404 && err.code === "record_not_found");
});

test("wishlists.items.update/delete change an item another surface added", async () => {
  const c = client();
  const reg = await register(c);
  const opts = { token: reg.token };
  const ids = await seed(reg.user);
  const item = await c.wishlists.items.update(ids.wishlist, ids.wishlist_item, { quantity: 3 }, opts);
  assert.equal(item.id, ids.wishlist_item);
  assert.equal(item.quantity, 3);
  assert.equal(item.variant_id, "var_1");
  await assert.rejects(c.wishlists.items.update(ids.wishlist, ids.wishlist_item, { quantity: 0 }, opts),
    (err) => err.status === 422 && err.code === "validation_error" && Array.isArray(err.details.quantity));
  const other = await register(c);
  await assert.rejects(c.wishlists.items.delete(ids.wishlist, ids.wishlist_item, { token: other.token }),
    (err) => err.status === 404 && err.code === "record_not_found");
  assert.equal(await c.wishlists.items.delete(ids.wishlist, ids.wishlist_item, opts), undefined);
  const wl = await c.wishlists.get(ids.wishlist, { expand: ["items"] }, opts);
  assert.deepEqual(wl.items, []);
});
