// End-to-end tests of the Medusa v2 dialect through the real @medusajs/js-sdk.
import { test } from "node:test";
import assert from "node:assert/strict";
import Medusa, { FetchError } from "@medusajs/js-sdk";

const baseUrl = process.env.CLIENTELE_URL + "/medusa";
const publishableKey = process.env.CLIENTELE_PK;
const password = "Tq7-a8Kd2-zX9w";
let n = 0;
const email = () => `medusa-${Date.now()}-${n++}@example.com`;

function sdk(extra = {}) {
  return new Medusa({ baseUrl, publishableKey, auth: { type: "jwt", jwtTokenStorageMethod: "memory" }, ...extra });
}

// cookieFetch is a per-instance cookie jar over fetch, as a browser keeps one.
function cookieFetch() {
  const jar = new Map();
  const f = async (input, init = {}) => {
    const headers = new Headers(init.headers || (input instanceof Request ? input.headers : undefined));
    if (jar.size) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await globalThis.__origFetch(input, { ...init, headers });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(";");
      const [k, v] = pair.split("=");
      if (attrs.some((a) => /max-age=0/i.test(a.trim())) || v === "") jar.delete(k.trim());
      else jar.set(k.trim(), v);
    }
    return res;
  };
  f.jar = jar;
  return f;
}
globalThis.__origFetch = globalThis.fetch;

async function registered(client = sdk()) {
  const e = email();
  const tok = await client.auth.register("customer", "emailpass", { email: e, password });
  const { customer } = await client.store.customer.create({ email: e, first_name: "Ada", last_name: "Lovelace" }, {}, { Authorization: `Bearer ${tok}` });
  await client.auth.refresh();
  return { client, email: e, customer };
}

async function rejects(p, status, message) {
  await assert.rejects(p, (err) => {
    assert.ok(err instanceof FetchError, `expected FetchError, got ${err}`);
    assert.equal(err.status, status);
    if (message) assert.equal(err.message, message);
    return true;
  });
}

test("register → create → refresh → retrieve (two-step registration)", async () => {
  const { client, email: e, customer } = await registered();
  assert.match(customer.id, /^cus_[0-9A-Z]{26}$/);
  assert.equal(customer.email, e);
  assert.equal(customer.has_account, true);
  assert.deepEqual(customer.addresses, []);
  assert.match(customer.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const { customer: me } = await client.store.customer.retrieve();
  assert.equal(me.id, customer.id);
  assert.equal(me.first_name, "Ada");
  assert.equal(me.phone, null);
});

test("register twice → 401 Identity with email already exists", async () => {
  const e = email();
  await sdk().auth.register("customer", "emailpass", { email: e, password });
  await rejects(sdk().auth.register("customer", "emailpass", { email: e, password }), 401, "Identity with email already exists");
});

test("login, bad password → 401 Invalid email or password", async () => {
  const { email: e } = await registered();
  const c = sdk();
  const tok = await c.auth.login("customer", "emailpass", { email: e, password });
  assert.equal(typeof tok, "string");
  const { customer } = await c.store.customer.retrieve();
  assert.equal(customer.email, e);
  await rejects(sdk().auth.login("customer", "emailpass", { email: e, password: "wrong-password-1" }), 401, "Invalid email or password");
  await rejects(sdk().auth.login("customer", "emailpass", { email: "nobody-" + e, password }), 401, "Invalid email or password");
});

test("login of a pending identity yields a registration token that finishes sign-up", async () => {
  const e = email();
  await sdk().auth.register("customer", "emailpass", { email: e, password });
  const c = sdk();
  const tok = await c.auth.login("customer", "emailpass", { email: e, password });
  const { customer } = await c.store.customer.create({ first_name: "Late" }, {}, { Authorization: `Bearer ${tok}` });
  assert.equal(customer.email, e);
  await c.auth.refresh();
  await rejects(c.store.customer.create({}, {}, {}), 400, "Request already authenticated as a customer.");
});

test("refresh keeps the shopper logged in; stale token ignored on login", async () => {
  const { client, email: e } = await registered();
  const next = await client.auth.refresh();
  assert.equal(typeof next.token, "string");
  const { customer } = await client.store.customer.retrieve();
  assert.equal(customer.email, e);
  // the client still holds a token: the login must ignore it
  await client.auth.login("customer", "emailpass", { email: e, password });
});

test("customer update and unknown field", async () => {
  const { client } = await registered();
  const { customer } = await client.store.customer.update({ first_name: "Augusta", phone: "+44 20 7946 0000", metadata: { a: 1 } });
  assert.equal(customer.first_name, "Augusta");
  assert.equal(customer.phone, "+44 20 7946 0000");
  assert.deepEqual(customer.metadata, { a: 1 });
  await rejects(client.store.customer.update({ email: "x@example.com" }), 400, "Invalid request: Unrecognized fields: 'email'");
});

test("session mode: login sets the cookie, logout revokes it", async () => {
  const { email: e } = await registered();
  const f = cookieFetch();
  const c = new Medusa({ baseUrl, publishableKey, auth: { type: "session" }, globalHeaders: {} });
  globalThis.fetch = f;
  try {
    await c.auth.login("customer", "emailpass", { email: e, password });
    assert.ok(f.jar.get("connect.sid"));
    const sid = f.jar.get("connect.sid");
    const { customer } = await c.store.customer.retrieve();
    assert.equal(customer.email, e);
    await c.auth.logout();
    assert.equal(f.jar.has("connect.sid"), false);
    f.jar.set("connect.sid", sid); // replay
    await rejects(c.store.customer.retrieve(), 401, "Unauthorized");
  } finally {
    globalThis.fetch = globalThis.__origFetch;
  }
});

test("jwt mode: DELETE /auth/session revokes the bearer token", async () => {
  const { client } = await registered();
  await client.client.fetch("/auth/session", { method: "DELETE" });
  await rejects(client.store.customer.retrieve(), 401, "Unauthorized");
  await rejects(client.auth.refresh(), 401, "Unauthorized");
});

test("reset request answers 201 for known and unknown e-mails; bad token → 401", async () => {
  const { email: e } = await registered();
  await sdk().auth.resetPassword("customer", "emailpass", { identifier: e });
  await sdk().auth.resetPassword("customer", "emailpass", { identifier: "nobody-" + e });
  await rejects(sdk().auth.updateProvider("customer", "emailpass", { password: "Another-pass-42" }, "not-a-token"), 401, "Invalid token");
});

test("no publishable key → 400 not_allowed; unknown route → 404", async () => {
  const c = new Medusa({ baseUrl, auth: { type: "jwt", jwtTokenStorageMethod: "memory" } });
  await rejects(c.store.customer.retrieve(), 400, "Publishable API key required in the request header: x-publishable-api-key. You can manage your keys in settings in the dashboard.");
  await rejects(sdk().client.fetch("/store/nope"), 404, "Route not found");
  await rejects(sdk().store.customer.retrieve(), 401, "Unauthorized");
});

test("addresses: create, list, retrieve, update, delete", async () => {
  const { client, customer: cust } = await registered();
  const { customer } = await client.store.customer.createAddress({
    address_name: "Home", first_name: "Ada", last_name: "Lovelace", address_1: "12 St James's Square",
    city: "London", country_code: "GB", postal_code: "SW1Y 4JH", is_default_shipping: true,
  });
  assert.equal(customer.addresses.length, 1);
  const a = customer.addresses[0];
  assert.match(a.id, /^cuaddr_[0-9A-Z]{26}$/);
  assert.equal(a.country_code, "gb");
  assert.equal(a.customer_id, cust.id);
  assert.equal(a.is_default_shipping, true);
  assert.equal(customer.default_shipping_address_id, a.id);
  const { customer: c2 } = await client.store.customer.createAddress({ address_1: "1 Main St", city: "Paris", country_code: "fr" });
  assert.equal(c2.addresses.length, 2);
  assert.equal(c2.addresses[1].is_default_shipping, false);
  const list = await client.store.customer.listAddress({ limit: 1 });
  assert.equal(list.count, 2);
  assert.equal(list.limit, 1);
  assert.equal(list.addresses.length, 1);
  const { address } = await client.store.customer.retrieveAddress(a.id);
  assert.equal(address.city, "London");
  const { customer: c3 } = await client.store.customer.updateAddress(a.id, { city: "Bath", province: null });
  assert.equal(c3.addresses.find((x) => x.id === a.id).city, "Bath");
  const del = await client.store.customer.deleteAddress(a.id);
  assert.equal(del.deleted, true);
  assert.equal(del.id, a.id);
  assert.equal(del.parent.default_shipping_address_id, null);
  assert.equal(del.parent.addresses.length, 1);
  await rejects(client.store.customer.retrieveAddress(a.id), 404, `Address with id: ${a.id} was not found`);
});

test("another customer's address → 404", async () => {
  const { client: one } = await registered();
  const { customer } = await one.store.customer.createAddress({ address_1: "1 Main St", city: "Paris", country_code: "fr" });
  const id = customer.addresses[0].id;
  const { client: two } = await registered();
  await rejects(two.store.customer.retrieveAddress(id), 404, `Address with id: ${id} was not found`);
  await rejects(two.store.customer.updateAddress(id, { city: "X" }), 404);
  await rejects(two.store.customer.deleteAddress(id), 404);
});

test("orders: a new customer's list is empty; unknown order → 404", async () => {
  const { client } = await registered();
  const res = await client.store.order.list();
  assert.deepEqual(res.orders, []);
  assert.equal(res.count, 0);
  assert.equal(res.limit, 50);
  await rejects(client.store.order.retrieve("order_01J9Z3M0W5R6S7T8V9X0Y1Z2A3"), 404, "Order with id: order_01J9Z3M0W5R6S7T8V9X0Y1Z2A3 was not found");
});

// payload decodes a JWT's claims, as storefronts do to read the actor.
const payload = (tok) => JSON.parse(Buffer.from(tok.split(".")[1], "base64url").toString());

// resetToken fetches the token of the newest reset mail to e (test mailbox).
async function resetToken(e) {
  const res = await fetch(`${process.env.CLIENTELE_MAILBOX}/?to=${encodeURIComponent(e)}`);
  assert.equal(res.status, 200, `no reset mail to ${e}`);
  return res.text();
}

test("tokens carry Medusa's claims: actorless registration token, customer token with actor", async () => {
  const e = email();
  const c = sdk();
  const reg = await c.auth.register("customer", "emailpass", { email: e, password });
  const r = payload(reg);
  assert.equal(r.actor_id, "");
  assert.equal(r.actor_type, "customer");
  assert.match(r.auth_identity_id, /^authid_[0-9A-Z]{26}$/);
  assert.deepEqual(r.app_metadata, {});
  assert.deepEqual(r.user_metadata, {});
  assert.equal(r.exp - r.iat, 3600);
  const { customer } = await c.store.customer.create({ first_name: "Ada" }, {}, { Authorization: `Bearer ${reg}` });
  const { token } = await c.auth.refresh();
  const p = payload(token);
  assert.equal(p.actor_id, customer.id);
  assert.equal(p.sub, customer.id);
  assert.equal(p.auth_identity_id, r.auth_identity_id);
  assert.deepEqual(p.app_metadata, { customer_id: customer.id });
  assert.equal(p.exp - p.iat, 24 * 3600);
  const login = payload(await sdk().auth.login("customer", "emailpass", { email: e, password }));
  assert.equal(login.actor_id, customer.id);
  assert.notEqual(login.sid, p.sid);
});

test("reset password end to end: mail token → updateProvider → new password; token single-use", async () => {
  const { email: e } = await registered();
  await sdk().auth.resetPassword("customer", "emailpass", { identifier: e });
  const token = await resetToken(e);
  // The SDK resolves with nothing (it drops the {"success":true} body).
  await sdk().auth.updateProvider("customer", "emailpass", { password: "Another-pass-42" }, token);
  await rejects(sdk().auth.login("customer", "emailpass", { email: e, password }), 401, "Invalid email or password");
  const c = sdk();
  await c.auth.login("customer", "emailpass", { email: e, password: "Another-pass-42" });
  const { customer } = await c.store.customer.retrieve();
  assert.equal(customer.email, e);
  await rejects(sdk().auth.updateProvider("customer", "emailpass", { password: "Third-pass-4242" }, token), 401, "Invalid token");
});
