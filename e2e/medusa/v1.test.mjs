// End-to-end tests of the Medusa v1 dialect through the real @medusajs/medusa-js.
import { test } from "node:test";
import assert from "node:assert/strict";
import Medusa from "@medusajs/medusa-js";

const baseUrl = process.env.CLIENTELE_URL + "/medusa-v1";
const publishableApiKey = process.env.CLIENTELE_PK;
const password = "Tq7-a8Kd2-zX9w";
let n = 0;
const email = () => `medusa1-${Date.now()}-${n++}@example.com`;
const client = () => new Medusa({ baseUrl, publishableApiKey, maxRetries: 0 });

async function rejects(p, status, data) {
  await assert.rejects(p, (err) => {
    assert.equal(err.response?.status, status, `status of ${err}`);
    if (data) for (const [k, v] of Object.entries(data)) assert.equal(err.response.data[k], v);
    return true;
  });
}

function cookieOf(res) {
  const sc = res.response.headers["set-cookie"] || [];
  const c = sc.find((x) => x.startsWith("connect.sid="));
  assert.ok(c, "no connect.sid cookie");
  assert.match(c, /Path=\/medusa-v1/);
  return c.split(";")[0];
}

async function signup() {
  const e = email();
  const res = await client().customers.create({ first_name: "Ada", last_name: "Lovelace", email: e, password });
  return { email: e, customer: res.customer, cookie: cookieOf(res) };
}

test("v1 register sets a cookie; duplicate → 422", async () => {
  const { email: e, customer, cookie } = await signup();
  assert.match(customer.id, /^cus_/);
  assert.equal(customer.has_account, true);
  assert.deepEqual(customer.shipping_addresses, []);
  assert.equal(customer.billing_address, null);
  const { customer: me } = await client().customers.retrieve({ Cookie: cookie });
  assert.equal(me.email, e);
  await rejects(client().customers.create({ first_name: "A", last_name: "B", email: e, password }), 422, {
    type: "duplicate_error", message: "A customer with the given email already has an account. Log in instead",
  });
  await rejects(client().customers.create({ last_name: "B", email: email(), password }), 400, { type: "invalid_data", message: "first_name must be a string" });
});

test("v1 authenticate / getSession / deleteSession", async () => {
  const { email: e } = await signup();
  const res = await client().auth.authenticate({ email: e, password });
  assert.deepEqual(res.customer.orders, []);
  const cookie = cookieOf(res);
  const s = await client().auth.getSession({ Cookie: cookie });
  assert.equal(s.customer.email, e);
  await client().auth.deleteSession({ Cookie: cookie });
  await rejects(client().auth.getSession({ Cookie: cookie }), 401, { type: "unauthorized" });
  await rejects(client().auth.authenticate({ email: e, password: "Wrong-pass-999" }), 401, { type: "unauthorized", message: "Unauthorized" });
  await client().auth.deleteSession(); // idempotent without credentials
});

test("v1 getToken bearer; logout revokes it", async () => {
  const { email: e } = await signup();
  const { access_token } = await client().auth.getToken({ email: e, password });
  const auth = { Authorization: `Bearer ${access_token}` };
  const { customer } = await client().customers.retrieve(auth);
  assert.equal(customer.email, e);
  const up = await client().customers.update({ first_name: "Augusta", metadata: { a: "1" } }, auth);
  assert.equal(up.customer.first_name, "Augusta");
  await rejects(client().customers.update({ nickname: "x" }, auth), 400, { message: "property nickname should not exist" });
  await client().auth.deleteSession(auth);
  await rejects(client().customers.retrieve(auth), 401);
});

test("v1 exists is false when the store check is off", async () => {
  const { email: e } = await signup();
  const r = await client().auth.exists(e);
  assert.equal(r.exists, false);
});

test("v1 addresses", async () => {
  const { cookie } = await signup();
  const h = { Cookie: cookie };
  const { customer } = await client().customers.addresses.addAddress({ address: {
    first_name: "Ada", last_name: "L", address_1: "1 Main St", city: "Paris", country_code: "FR", postal_code: "75001",
  } }, h);
  const a = customer.shipping_addresses[0];
  assert.match(a.id, /^addr_/);
  assert.equal(a.country_code, "fr");
  const { customer: c2 } = await client().customers.addresses.updateAddress(a.id, { city: "Lyon" }, h);
  assert.equal(c2.shipping_addresses[0].city, "Lyon");
  const { customer: c3 } = await client().customers.update({ billing_address: a.id }, h);
  assert.equal(c3.billing_address_id, a.id);
  assert.equal(c3.billing_address.id, a.id);
  const other = await signup();
  await rejects(client().customers.addresses.updateAddress(a.id, { city: "X" }, { Cookie: other.cookie }), 400, { message: "Could not find address for customer" });
  const { customer: c4 } = await client().customers.addresses.deleteAddress(a.id, h);
  assert.equal(c4.shipping_addresses.length, 0);
  assert.equal(c4.billing_address_id, null);
});

test("v1 password token 204; bad reset token → 401", async () => {
  const { email: e } = await signup();
  const r = await client().customers.generatePasswordToken({ email: e });
  assert.equal(r.response.status, 204);
  await client().customers.generatePasswordToken({ email: "nobody-" + e });
  await rejects(client().customers.resetPassword({ email: e, token: "bogus", password: "Another-pass-42" }), 401, {
    message: "Invalid or expired password reset token",
  });
});

test("v1 listOrders for a new customer", async () => {
  const { cookie } = await signup();
  const r = await client().customers.listOrders({ limit: 5, offset: 0 }, { Cookie: cookie });
  assert.deepEqual(r.orders, []);
  assert.equal(r.count, 0);
  assert.equal(r.limit, 5);
});

const payload = (tok) => JSON.parse(Buffer.from(tok.split(".")[1], "base64url").toString());

async function resetToken(e) {
  const res = await fetch(`${process.env.CLIENTELE_MAILBOX}/?to=${encodeURIComponent(e)}`);
  assert.equal(res.status, 200, `no reset mail to ${e}`);
  return res.text();
}

// admin patches the store's settings with the secret key (native admin API).
async function admin(body) {
  const res = await fetch(process.env.CLIENTELE_URL + "/admin/v1/store", {
    method: "PATCH", headers: { "content-type": "application/json", authorization: `Bearer ${process.env.CLIENTELE_SK}` }, body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.text());
}

test("v1 getToken carries customer_id and domain", async () => {
  const { email: e, customer } = await signup();
  const { access_token } = await client().auth.getToken({ email: e, password });
  const p = payload(access_token);
  assert.equal(p.customer_id, customer.id);
  assert.equal(p.domain, "store");
  assert.equal(p.exp - p.iat, 24 * 3600);
});

test("v1 reset password end to end: token from the mail, wrong e-mail refused, new password works", async () => {
  const { email: e } = await signup();
  await client().customers.generatePasswordToken({ email: e });
  const token = await resetToken(e);
  await rejects(client().customers.resetPassword({ email: "nobody-" + e, token, password: "Another-pass-42" }), 401, {
    message: "Invalid or expired password reset token",
  });
  const { customer } = await client().customers.resetPassword({ email: e, token, password: "Another-pass-42" });
  assert.equal(customer.email, e);
  await rejects(client().auth.authenticate({ email: e, password }), 401);
  const res = await client().auth.authenticate({ email: e, password: "Another-pass-42" });
  assert.equal(res.customer.email, e);
  await rejects(client().customers.resetPassword({ email: e, token, password: "Third-pass-4242" }), 401);
});

test("v1 exists is true for a registered e-mail when the store turns the check on", async () => {
  const { email: e } = await signup();
  await admin({ email_exists_check: true });
  try {
    assert.equal((await client().auth.exists(e)).exists, true);
    assert.equal((await client().auth.exists("nobody-" + e)).exists, false);
  } finally {
    await admin({ email_exists_check: false });
  }
});
