// The v1 family (bagisto/rest-api): /api/v1/customer..., token login with
// device_name. One test per must/should row of the contract.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  assertAddress, assertCustomer, assertPage, base, call, email, expect, home, isId, jwtClaims, password, register,
  resetToken, seedOrders,
} from "./helpers.mjs";

async function v1Login(e, pw = password) {
  const body = expect(await call("POST", "/api/v1/customer/login", { body: { email: e, password: pw, device_name: "iPhone" } }), 200);
  return body.token;
}

async function v1Signup(tag) {
  const e = email(tag);
  const res = await call("POST", "/api/v1/customer/register", {
    body: { first_name: "ada", last_name: "Lovelace", email: e, password, password_confirmation: password },
  });
  assert.deepEqual(expect(res, 200), { message: "Your Account has been created successfully." });
  return { email: e, token: await v1Login(e) };
}

test("V register", async () => {
  await v1Signup("v-reg");
  const empty = await call("POST", "/api/v1/customer/register", { body: {} });
  assert.deepEqual(expect(empty, 422), {
    message: "The first name field is required. (and 3 more errors)",
    errors: {
      first_name: ["The first name field is required."], last_name: ["The last name field is required."],
      email: ["The email field is required."], password: ["The password field is required."],
    },
  });
  const short = await call("POST", "/api/v1/customer/register", {
    body: { first_name: "a", last_name: "b", email: email("v-short"), password: "short", password_confirmation: "short" },
  });
  assert.deepEqual(expect(short, 422), {
    message: "The password field must be at least 8 characters.",
    errors: { password: ["The password field must be at least 8 characters."] },
  });
});

test("V login, token (device_name)", async () => {
  const e = await register(email("v-login"));
  const res = await call("POST", "/api/v1/customer/login", { body: { email: e, password, device_name: "Pixel" } });
  const body = expect(res, 200);
  assert.deepEqual(Object.keys(body), ["data", "message", "token"]);
  assert.equal(body.message, "Logged in successfully.");
  assertCustomer(body.data, { email: e, v1: true });
  const claims = jwtClaims(body.token);
  assert.equal(claims.exp - claims.iat, 3600);
  assert.equal(body.refresh_token, undefined);
  const bad = await call("POST", "/api/v1/customer/login", { body: { email: e, password: "wrong-password-1", device_name: "Pixel" } });
  assert.deepEqual(expect(bad, 422), {
    message: "The provided credentials are incorrect.", errors: { email: ["The provided credentials are incorrect."] },
  });
  const noDevice = await call("POST", "/api/v1/customer/login", { body: { email: e, password } });
  assert.deepEqual(expect(noDevice, 422), {
    message: "The device name field is required.", errors: { device_name: ["The device name field is required."] },
  });
  // Logging in again does not sign the first device out.
  await v1Login(e);
  expect(await call("GET", "/api/v1/customer/get", { token: body.token }), 200);
});

test("V current customer", async () => {
  const { token, email: e } = await v1Signup("v-get");
  const body = expect(await call("GET", "/api/v1/customer/get", { token }), 200);
  assert.deepEqual(Object.keys(body), ["data"]);
  assertCustomer(body.data, { email: e, v1: true });
  assert.deepEqual(expect(await call("GET", "/api/v1/customer/get"), 401), { message: "Unauthenticated.", error: "Unauthenticated" });
});

test("V profile update (+ password / e-mail change)", async () => {
  const { token, email: e } = await v1Signup("v-profile");
  const res = await call("PUT", "/api/v1/customer/profile", {
    token, body: { first_name: "ada", last_name: "Byron", gender: "Other", phone: "+4412345", date_of_birth: "1915-12-10", email: e, subscribed_to_news_letter: "1" },
  });
  const body = expect(res, 200);
  assert.deepEqual(Object.keys(body), ["data", "message"]);
  assert.equal(body.message, "Your Account has been updated successfully.");
  assertCustomer(body.data, { email: e, v1: true, last: "Byron", gender: "Other", phone: "+4412345", dob: "1915-12-10" });
  const missing = await call("PUT", "/api/v1/customer/profile", { token, body: { first_name: "a", last_name: "b", gender: "Robot" } });
  assert.deepEqual(expect(missing, 422), {
    message: "The selected gender is invalid. (and 1 more error)",
    errors: { gender: ["The selected gender is invalid."], phone: ["The phone field is required."] },
  });
  const next = "another-horse-battery-8";
  const noCurrent = await call("PUT", "/api/v1/customer/profile", {
    token, body: { first_name: "a", last_name: "b", gender: "Male", phone: "1", new_password: next, new_password_confirmation: next },
  });
  assert.deepEqual(expect(noCurrent, 422).errors, { current_password: ["The current password field is required when new password is present."] });
  const changed = await call("PUT", "/api/v1/customer/profile", {
    token, body: { first_name: "a", last_name: "b", gender: "Male", phone: "1", new_password: next, new_password_confirmation: next, current_password: password },
  });
  expect(changed, 200);
  await v1Login(e, next);
  const moved = await call("PUT", "/api/v1/customer/profile", {
    token, body: { first_name: "a", last_name: "b", gender: "Male", phone: "1", email: email("v-new"), current_password: next },
  });
  assert.equal(expect(moved, 200).data.email, e); // unchanged until confirmed
});

test("V logout", async () => {
  const { token, email: e } = await v1Signup("v-logout");
  const other = await v1Login(e);
  assert.deepEqual(expect(await call("POST", "/api/v1/customer/logout", { token }), 200), { message: "Logged out successfully." });
  expect(await call("GET", "/api/v1/customer/get", { token }), 401);
  expect(await call("GET", "/api/v1/customer/get", { token: other }), 200); // only this device
});

test("V forgot password", async () => {
  const { email: e } = await v1Signup("v-forgot");
  const known = await call("POST", "/api/v1/customer/forgot-password", { body: { email: e } });
  const unknown = await call("POST", "/api/v1/customer/forgot-password", { body: { email: email("v-nobody") } });
  for (const r of [known, unknown]) {
    assert.deepEqual(expect(r, 200), { message: "We have emailed your password reset link." });
  }
  assert.ok(await resetToken(e));
  const bad = await call("POST", "/api/v1/customer/forgot-password", { body: {} });
  assert.deepEqual(expect(bad, 422), { message: "The email field is required.", errors: { email: ["The email field is required."] } });
});

test("V reset password (Clientele extension)", async () => {
  const { token, email: e } = await v1Signup("v-reset");
  expect(await call("POST", "/api/v1/customer/forgot-password", { body: { email: e } }), 200);
  const t = await resetToken(e);
  const next = "brand-new-horse-battery-4";
  const wrongEmail = await call("POST", "/api/v1/customer/reset-password", { body: { token: t, email: email("v-other"), password: next, password_confirmation: next } });
  assert.deepEqual(expect(wrongEmail, 422).errors, { token: ["This password reset token is invalid."] });
  const res = await call("POST", "/api/v1/customer/reset-password", { body: { token: t, email: e, password: next, password_confirmation: next } });
  assert.deepEqual(expect(res, 200), { message: "Your password has been reset." });
  expect(await call("GET", "/api/v1/customer/get", { token }), 401);
  await v1Login(e, next);
});

test("V addresses: create, list (paginated), show, update, make default, delete", async () => {
  const { token, email: e } = await v1Signup("v-addr");
  const sent = { ...home, email: e, address: ["1 Main St", "Apt 2"] };
  const created = expect(await call("POST", "/api/v1/customer/addresses", { token, body: sent }), 200);
  assert.deepEqual(Object.keys(created), ["data", "message"]);
  assert.equal(created.message, "Your address has been created successfully.");
  assertAddress(created.data, { v1: true, lines: ["1 Main St", "Apt 2"], isDefault: false, email: e }); // no default unless asked (Bagisto)
  const second = expect(await call("POST", "/api/v1/customer/addresses", { token, body: { ...sent, address: ["9 Elm St"] } }), 200).data;
  assertAddress(second, { v1: true, lines: ["9 Elm St"], isDefault: false, email: e });

  const list = expect(await call("GET", "/api/v1/customer/addresses", { token }), 200);
  assertPage(list, { path: `${base}/api/v1/customer/addresses`, total: 2 });
  assert.deepEqual(list.data.map((a) => a.id), [second.id, created.data.id]); // newest first
  // Written through one family, read through the other.
  const legacy = expect(await call("GET", `/api/addresses/${second.id}`, { token }), 200).data;
  assert.deepEqual(legacy.address1, ["9 Elm St"]);

  const shown = expect(await call("GET", `/api/v1/customer/addresses/${second.id}`, { token }), 200);
  assert.deepEqual(shown, { data: second });

  const upd = expect(await call("PUT", `/api/v1/customer/addresses/${second.id}`, { token, body: { ...sent, address: ["10 Elm St"], city: "Albany" } }), 200);
  assert.deepEqual(Object.keys(upd), ["data", "message"]);
  assert.equal(upd.message, "Your address has been updated successfully.");
  assertAddress(upd.data, { v1: true, lines: ["10 Elm St"], isDefault: false, email: e, sent: { ...home, city: "Albany" } });

  const def = await call("PATCH", `/api/v1/customer/addresses/make-default/${second.id}`, { token });
  assert.deepEqual(expect(def, 200), { message: "successfully marked as your default address" });
  const flags = expect(await call("GET", "/api/v1/customer/addresses", { token }), 200).data.map((a) => [a.id, a.is_default]);
  assert.deepEqual(flags, [[second.id, true], [created.data.id, false]]);
  expect(await call("PATCH", "/api/v1/customer/addresses/make-default/2147483647", { token }), 404);

  assert.deepEqual(expect(await call("DELETE", `/api/v1/customer/addresses/${second.id}`, { token }), 200), { message: "Your address has been deleted successfully." });
  assert.deepEqual(expect(await call("GET", `/api/v1/customer/addresses/${second.id}`, { token }), 404), {
    title: "404 Page Not Found",
    message: "Oops! The page you're looking for is on vacation. It seems we couldn't find what you were searching for.",
  });
  const bad = await call("POST", "/api/v1/customer/addresses", { token, body: { country: "ZZ", address: "x" } });
  assert.deepEqual(expect(bad, 422).errors, {
    first_name: ["The first name field is required."], last_name: ["The last name field is required."],
    address: ["The address field must be an array."], country: ["The selected country is invalid."],
    state: ["The state field is required."], city: ["The city field is required."], postcode: ["The postcode field is required."],
    phone: ["The phone field is required."], email: ["The email field is required."],
  });
});

test("V orders list / show", async () => {
  const { token, email: e } = await v1Signup("v-orders");
  const [first, second] = await seedOrders(e);
  const list = expect(await call("GET", "/api/v1/customer/orders", { token }), 200);
  assertPage(list, { path: `${base}/api/v1/customer/orders`, total: 2 });
  assert.deepEqual(list.data.map((o) => o.increment_id), [second, first]);
  const o = list.data[1];
  isId(o.id);
  assert.equal(o.formatted_grand_total, "$113.25");
  assert.equal(o.formated_grand_total, undefined);
  assert.equal(o.sub_total_incl_tax, "108.2500");
  assert.equal(o.formatted_sub_total_incl_tax, "$108.25");
  assert.equal(o.base_shipping_amount_incl_tax, "5.0000");
  assertCustomer(o.customer, { email: e, v1: true });
  assert.deepEqual(o.items[1], {
    id: 2, sku: "TEE-1", type: "simple", name: "Tee", qty_ordered: 1, price: "50.0000", formatted_price: "$50.00",
    total: "50.0000", formatted_total: "$50.00", tax_amount: "0.0000", formatted_tax_amount: "$0.00",
  });
  assert.deepEqual(expect(await call("GET", `/api/v1/customer/orders/${o.id}`, { token }), 200), { data: o });
  const asc = expect(await call("GET", "/api/v1/customer/orders?sort=grand_total&order=asc", { token }), 200);
  assert.deepEqual(asc.data.map((x) => x.increment_id), [second, first]);
  expect(await call("GET", "/api/v1/customer/orders/abc", { token }), 404);
});

test("V wishlist: toggle, list, clear", async () => {
  const { token } = await v1Signup("v-wish");
  const added = expect(await call("POST", "/api/v1/customer/wishlist/42", { token, body: { additional: { qty: 1 } } }), 200);
  assert.equal(added.message, "Item Successfully Added To Wishlist.");
  assert.deepEqual(Object.keys(added.data), ["id", "product", "created_at", "updated_at"]);
  assert.deepEqual(added.data.product, { id: 42 });
  const other = expect(await call("POST", "/api/v1/customer/wishlist/7", { token }), 200).data;
  const list = expect(await call("GET", "/api/v1/customer/wishlist", { token }), 200);
  assert.deepEqual(list, { data: [other, added.data] });
  const removed = expect(await call("POST", "/api/v1/customer/wishlist/42", { token }), 200);
  assert.deepEqual(removed, { data: [other], message: "Item Successfully Removed From Wishlist." });
  assert.deepEqual(expect(await call("DELETE", "/api/v1/customer/wishlist/all", { token }), 200), { message: "Item Successfully Removed From Wishlist." });
  assert.deepEqual(expect(await call("GET", "/api/v1/customer/wishlist", { token }), 200), { data: [] });
});
