// The legacy family (Webkul/API up to Bagisto 1.3.3): /api/customer...,
// JWT with ?token=true. One test per must/should row of the contract.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  assertAddress, assertCustomer, assertPage, base, call, email, expect, home, isId, jwtClaims, login, password,
  register, resetToken, seedOrders, signup, TS, url,
} from "./helpers.mjs";

test("L register", async () => {
  const e = email("l-reg");
  const res = await call("POST", "/api/customer/register", {
    body: { first_name: "ada", last_name: "Lovelace", email: e, password, password_confirmation: password, phone: "123", token: "true" },
  });
  assert.deepEqual(expect(res, 200), { message: "Your account has been created successfully." });
  // The same e-mail in another case is taken (Laravel's 8 wording).
  const dup = await call("POST", "/api/customer/register", {
    body: { first_name: "a", last_name: "b", email: e.toUpperCase(), password, password_confirmation: password },
  });
  assert.deepEqual(expect(dup, 422), { message: "The given data was invalid.", errors: { email: ["The email has already been taken."] } });
});

test("L login, JWT", async () => {
  const e = await register(email("l-jwt"));
  const res = await call("POST", "/api/customer/login?token=true", { body: { email: e, password } });
  const body = expect(res, 200);
  assert.deepEqual(Object.keys(body), ["token", "message", "data"]);
  assert.equal(body.message, "Logged in successfully.");
  assertCustomer(body.data, { email: e });
  const claims = jwtClaims(body.token);
  assert.equal(claims.exp - claims.iat, 3600);
  assert.equal(res.headers.get("set-cookie"), null);
  // One answer for a wrong password and an unknown e-mail.
  const wrong = await call("POST", "/api/customer/login?token=true", { body: { email: e, password: "wrong-password-1" } });
  const unknown = await call("POST", "/api/customer/login?token=true", { body: { email: email("nobody"), password } });
  for (const r of [wrong, unknown]) {
    assert.deepEqual(expect(r, 401), { error: "Invalid Email or Password", message: "Invalid Email or Password" });
  }
});

test("L login, cookie session", async () => {
  const e = await register(email("l-cookie"));
  const res = await call("POST", "/api/customer/login", { body: { email: e, password } });
  const body = expect(res, 200);
  assert.deepEqual(Object.keys(body), ["token", "message", "data"]);
  assert.equal(body.token, true);
  assert.equal(body.message, "Logged in successfully.");
  assertCustomer(body.data, { email: e });
  const cookie = res.headers.get("set-cookie");
  assert.match(cookie, /^bagisto_session=[^;]+; Path=\/bagisto; Max-Age=3600; HttpOnly; SameSite=Lax$/);
  const session = cookie.split(";")[0];
  // The cookie authenticates reads; a write needs one of the store's origins.
  const me = expect(await call("GET", "/api/customer/get", { headers: { cookie: session } }), 200);
  assertCustomer(me.data, { email: e });
  const csrf = await call("POST", "/api/addresses/create", { body: { ...home, address1: ["1 Main St"] }, headers: { cookie: session } });
  assert.deepEqual(expect(csrf, 419), { message: "CSRF token mismatch.", error: "CSRF token mismatch." });
  const toggle = await call("GET", "/api/wishlist/add/5", { headers: { cookie: session, origin: "https://evil.example" } });
  expect(toggle, 419);
  const same = await call("POST", "/api/addresses/create", {
    body: { ...home, address1: ["1 Main St"] }, headers: { cookie: session, origin: "https://shop.example" },
  });
  expect(same, 200);
  // Logging out through the cookie clears it.
  const out = await call("GET", "/api/customer/logout", { headers: { cookie: session } });
  assert.deepEqual(expect(out, 200), { message: "Logged out successfully." });
  assert.match(out.headers.get("set-cookie"), /^bagisto_session=; Path=\/bagisto; Max-Age=0; HttpOnly; SameSite=Lax$/);
  expect(await call("GET", "/api/customer/get", { headers: { cookie: session } }), 401);
});

test("L current customer", async () => {
  const { token, email: e } = await signup("l-get");
  for (const q of ["?token=true", ""]) {
    const body = expect(await call("GET", "/api/customer/get" + q, { token }), 200);
    assert.deepEqual(Object.keys(body), ["data"]);
    assertCustomer(body.data, { email: e });
  }
  assert.deepEqual(expect(await call("GET", "/api/customer/get?token=true"), 401), { message: "Unauthenticated.", error: "Unauthenticated" });
});

test("L customer by id (own id only)", async () => {
  const a = await signup("l-id-a");
  const b = await signup("l-id-b");
  const own = expect(await call("GET", `/api/customers/${a.customer.id}?token=true`, { token: a.token }), 200);
  assertCustomer(own.data, { email: a.email });
  const forbidden = { message: "Invalid Request.", error: "Invalid Request." };
  for (const id of [b.customer.id, 2 ** 31 - 1, "abc", 0]) {
    assert.deepEqual(expect(await call("GET", `/api/customers/${id}`, { token: a.token }), 403), forbidden);
  }
  expect(await call("GET", `/api/customers/${a.customer.id}`), 401);
});

test("L profile update (+ password / e-mail change)", async () => {
  const { token, email: e } = await signup("l-profile");
  const res = await call("PUT", "/api/customer/profile?token=true", {
    token, body: { first_name: "ada", last_name: "Byron", gender: "female", date_of_birth: "1915-12-10", phone: "+4412345", email: e },
  });
  const body = expect(res, 200);
  assert.deepEqual(Object.keys(body), ["message", "data"]);
  assert.equal(body.message, "Your account has been updated successfully.");
  assertCustomer(body.data, { email: e, last: "Byron", gender: "Female", dob: "1915-12-10", phone: "+4412345" });
  // A form POST with _method=PUT is an update too (PHP clients).
  const form = await call("POST", "/api/customer/profile", { token, form: { _method: "PUT", first_name: "Ada", last_name: "Byron", gender: "Female" } });
  assertCustomer(expect(form, 200).data, { email: e, first: "Ada", last: "Byron", gender: "Female", dob: "1915-12-10", phone: "+4412345" });
  // A password change needs the current password.
  const next = "another-horse-battery-7";
  const noCurrent = await call("PUT", "/api/customer/profile", { token, body: { first_name: "Ada", last_name: "Byron", gender: "Female", password: next, password_confirmation: next } });
  assert.deepEqual(expect(noCurrent, 422), { message: "The given data was invalid.", errors: { current_password: ["The current password field is required when password is present."] } });
  const wrong = await call("PUT", "/api/customer/profile", { token, body: { first_name: "Ada", last_name: "Byron", gender: "Female", password: next, password_confirmation: next, current_password: "nope-nope-nope" } });
  assert.deepEqual(expect(wrong, 422), { message: "The given data was invalid.", errors: { current_password: ["Current password does not match."] } });
  const changed = await call("PUT", "/api/customer/profile", { token, body: { first_name: "Ada", last_name: "Byron", gender: "Female", password: next, password_confirmation: next, current_password: password } });
  expect(changed, 200);
  expect(await call("GET", "/api/customer/get", { token }), 200); // the caller's token stays valid
  await login(e, next);
  // An e-mail change waits for confirmation: the old address stays.
  const moved = await call("PUT", "/api/customer/profile", { token, body: { first_name: "Ada", last_name: "Byron", gender: "Female", email: email("l-new"), current_password: next } });
  assert.equal(expect(moved, 200).data.email, e);
});

test("L logout", async () => {
  const { token } = await signup("l-logout");
  assert.deepEqual(expect(await call("GET", "/api/customer/logout?token=true", { token }), 200), { message: "Logged out successfully." });
  assert.deepEqual(expect(await call("GET", "/api/customer/get?token=true", { token }), 401), { message: "Unauthenticated.", error: "Unauthenticated" });
  expect(await call("GET", "/api/customer/logout", { token }), 401);
});

test("L forgot password", async () => {
  const e = await register(email("l-forgot"));
  const known = await call("POST", "/api/customer/forgot-password", { body: { email: e } });
  const unknown = await call("POST", "/api/customer/forgot-password", { body: { email: email("l-nobody") } });
  for (const r of [known, unknown]) {
    assert.deepEqual(expect(r, 200), { message: "We have e-mailed your password reset link!" });
  }
  assert.ok(await resetToken(e));
  const bad = await call("POST", "/api/customer/forgot-password", { body: { email: "not-an-email" } });
  assert.deepEqual(expect(bad, 422), { message: "The given data was invalid.", errors: { email: ["The email must be a valid email address."] } });
  const get = await call("GET", "/api/customer/forgot-password");
  expect(get, 405);
  assert.equal(get.headers.get("allow"), "POST");
});

test("L reset password (Clientele extension)", async () => {
  const { token, email: e } = await signup("l-reset");
  expect(await call("POST", "/api/customer/forgot-password", { body: { email: e } }), 200);
  const t = await resetToken(e);
  const next = "brand-new-horse-battery-3";
  const res = await call("POST", "/api/customer/reset-password", { body: { token: t, email: e, password: next, password_confirmation: next } });
  assert.deepEqual(expect(res, 200), { message: "Your password has been reset!" });
  expect(await call("GET", "/api/customer/get", { token }), 401); // every session ended
  await login(e, next);
  const again = await call("POST", "/api/customer/reset-password", { body: { token: t, password: next, password_confirmation: next } });
  assert.deepEqual(expect(again, 422), { message: "The given data was invalid.", errors: { token: ["This password reset token is invalid."] } });
});

test("L addresses: create, list, show, update (default_address), delete", async () => {
  const { token } = await signup("l-addr");
  const created = expect(await call("POST", "/api/addresses/create?token=true", { token, body: { ...home, address1: ["1 Main St", "Apt 2"], default_address: "1" } }), 200);
  assert.deepEqual(Object.keys(created), ["message", "data"]);
  assert.equal(created.message, "Your address has been created successfully.");
  assertAddress(created.data, { lines: ["1 Main St", "Apt 2"], isDefault: true });
  const second = expect(await call("POST", "/api/addresses/create", { token, body: { ...home, city: "Boston", state: "MA", address1: ["9 Elm St"] } }), 200).data;
  assertAddress(second, { lines: ["9 Elm St"], isDefault: false, sent: { ...home, city: "Boston", state: "MA" } });
  assert.ok(second.id > created.data.id);

  const list = expect(await call("GET", "/api/addresses", { token }), 200);
  assert.deepEqual(Object.keys(list), ["data"]);
  assert.deepEqual(list.data.map((a) => a.id), [created.data.id, second.id]); // not paginated, ascending

  const shown = expect(await call("GET", `/api/addresses/${second.id}`, { token }), 200);
  assert.deepEqual(Object.keys(shown), ["data"]);
  assert.deepEqual(shown.data, second);

  const upd = await call("PUT", `/api/addresses/${second.id}`, { token, body: { ...home, city: "Cambridge", state: "MA", address1: ["10 Elm St"], default_address: true } });
  const updated = expect(upd, 200);
  assert.deepEqual(Object.keys(updated), ["message", "data"]);
  assert.equal(updated.message, "Your address has been updated successfully.");
  assertAddress(updated.data, { lines: ["10 Elm St"], isDefault: true, sent: { ...home, city: "Cambridge", state: "MA" } });
  assert.equal(updated.data.id, second.id);
  const after = expect(await call("GET", "/api/addresses", { token }), 200).data;
  assert.deepEqual(after.map((a) => a.is_default), [false, true]);

  assert.deepEqual(expect(await call("DELETE", `/api/addresses/${second.id}`, { token }), 200), { message: "Item removed successfully." });
  assert.deepEqual(expect(await call("GET", `/api/addresses/${second.id}`, { token }), 404), { error: "Resource Not Found", message: "Resource Not Found" });
  const bad = await call("POST", "/api/addresses/create", { token, body: { ...home, address1: "1 Main St" } });
  assert.deepEqual(expect(bad, 422), { message: "The given data was invalid.", errors: { address1: ["The address1 must be an array."] } });
});

test("L orders list / show", async () => {
  const { token, email: e } = await signup("l-orders");
  const [first, second] = await seedOrders(e);
  const list = expect(await call("GET", "/api/orders?token=true", { token }), 200);
  assertPage(list, { path: `${base}/api/orders`, total: 2 });
  assert.deepEqual(list.data.map((o) => o.increment_id), [second, first]); // newest first
  const o = list.data[1];
  isId(o.id);
  assert.equal(o.status, "completed");
  assert.equal(o.status_label, "Completed");
  assert.equal(o.channel_name, "Test store");
  assert.equal(o.is_guest, 0);
  assert.equal(o.customer_email, e);
  assert.equal(o.customer_first_name, "ada");
  assert.equal(o.customer_last_name, "Lovelace");
  assert.equal(o.shipping_method, "flatrate_flatrate");
  assert.equal(o.shipping_title, "Flat Rate");
  assert.equal(o.payment_title, "Cash On Delivery");
  assert.equal(o.shipping_description, null);
  assert.equal(o.coupon_code, null);
  assert.equal(o.is_gift, 0);
  assert.equal(o.total_item_count, 2);
  assert.equal(o.total_qty_ordered, 3);
  assert.equal(o.base_currency_code, "USD");
  assert.equal(o.channel_currency_code, "USD");
  assert.equal(o.order_currency_code, "USD");
  assert.equal(o.grand_total, "113.2500");
  assert.equal(o.formated_grand_total, "$113.25");
  assert.equal(o.base_grand_total, "113.2500");
  assert.equal(o.formated_base_grand_total, "$113.25");
  assert.equal(o.sub_total, "100.0000");
  assert.equal(o.formated_sub_total, "$100.00");
  assert.equal(o.tax_amount, "8.2500");
  assert.equal(o.shipping_amount, "5.0000");
  assert.equal(o.discount_amount, "0.0000");
  assert.equal(o.grand_total_invoiced, "0.0000");
  assert.equal(o.sub_total_refunded, "0.0000");
  assert.equal(o.formated_sub_total_refunded, "$0.00");
  assert.equal(o.base_sub_total_refunded, undefined);
  assert.equal(o.formatted_grand_total, undefined); // legacy spells it formated_
  assert.equal(o.sub_total_incl_tax, undefined); // v1 only
  assert.equal(o.discount_percent, "0.0000");
  assertCustomer(o.customer, { email: e });
  for (const a of [o.shipping_address, o.billing_address]) {
    assert.deepEqual(a, {
      id: null, email: e, first_name: "Ada", last_name: "Lovelace", address1: ["1 Main St", "Apt 2"], country: "US",
      country_name: "United States", state: "NY", city: "New York", postcode: "10001", phone: "5551234",
      created_at: a.created_at, updated_at: a.updated_at,
    });
    assert.match(a.created_at, TS);
  }
  assert.equal(o.items.length, 2);
  assert.deepEqual(o.items[0], {
    id: 1, sku: "MUG-1", type: "simple", name: "Mug", qty_ordered: 2, price: "25.0000", formated_price: "$25.00",
    total: "50.0000", formated_total: "$50.00", tax_amount: "0.0000", formated_tax_amount: "$0.00",
  });
  assert.deepEqual(o.invoices, []);
  assert.deepEqual(o.shipments, []);
  assert.equal(o.channel, undefined);
  assert.match(o.created_at, TS);
  assert.match(o.updated_at, TS);

  const shown = expect(await call("GET", `/api/orders/${o.id}`, { token }), 200);
  assert.deepEqual(shown, { data: o });
  const pending = expect(await call("GET", "/api/orders?status=pending", { token }), 200);
  assert.deepEqual(pending.data.map((x) => x.increment_id), [second]);
  const other = await signup("l-orders-other");
  expect(await call("GET", `/api/orders/${o.id}`, { token: other.token }), 404);
});

test("L wishlist: toggle, list, remove", async () => {
  const { token } = await signup("l-wish");
  const added = expect(await call("GET", "/api/wishlist/add/42?token=true", { token }), 200);
  assert.deepEqual(Object.keys(added), ["data", "message"]);
  assert.equal(added.message, "Item Successfully Added To Wishlist");
  assert.deepEqual(Object.keys(added.data), ["id", "product", "created_at", "updated_at"]);
  isId(added.data.id);
  assert.deepEqual(added.data.product, { id: 42 });
  assert.match(added.data.created_at, TS);
  const second = expect(await call("GET", "/api/wishlist/add/43", { token }), 200).data;

  const list = expect(await call("GET", "/api/wishlist", { token }), 200);
  assertPage(list, { path: `${base}/api/wishlist`, total: 2 });
  assert.deepEqual(list.data, [second, added.data]); // id descending

  const removed = expect(await call("GET", "/api/wishlist/add/42", { token }), 200);
  assert.deepEqual(removed, { data: null, message: "Item removed from wishlist successfully." });

  assert.deepEqual(expect(await call("DELETE", `/api/wishlist/${second.id}`, { token }), 200), { message: "Item removed successfully." });
  expect(await call("DELETE", `/api/wishlist/${second.id}`, { token }), 404);
  assertPage(expect(await call("GET", "/api/wishlist", { token }), 200), { path: `${base}/api/wishlist`, total: 0 });
});

test("L move to cart is out of scope: the family's 404", async () => {
  const { token } = await signup("l-cart");
  assert.deepEqual(expect(await call("GET", "/api/move-to-cart/1", { token }), 404), { error: "Resource Not Found", message: "Resource Not Found" });
  assert.ok(url);
});
