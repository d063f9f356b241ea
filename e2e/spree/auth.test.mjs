import { test } from "node:test";
import assert from "node:assert/strict";
import { SpreeError } from "@spree/sdk";
import { client, email, password, register, resetToken, raw } from "./helpers.mjs";

const ID = /^[a-z]+_[A-Za-z0-9]+$/;

function assertCustomer(u) {
  assert.match(u.id, /^cus_[A-Za-z0-9]+$/);
  for (const k of ["email", "first_name", "last_name", "phone", "accepts_email_marketing", "full_name",
    "available_store_credit_total", "display_available_store_credit_total", "addresses",
    "default_billing_address", "default_shipping_address", "newsletter_subscriber", "customer_groups"]) {
    assert.ok(k in u, "missing key " + k);
  }
  assert.ok(Array.isArray(u.addresses));
  assert.ok(Array.isArray(u.customer_groups));
  assert.equal(typeof u.available_store_credit_total, "string");
}

async function rejects(p, status, code) {
  await assert.rejects(p, (err) => {
    assert.ok(err instanceof SpreeError, "not a SpreeError: " + err);
    assert.equal(err.name, "SpreeError");
    assert.equal(err.status, status);
    assert.equal(err.code, code);
    assert.ok(err.message.length > 0);
    return true;
  });
}

test("customers.create registers and returns tokens with the full customer", async () => {
  const c = client();
  const e = email();
  const res = await c.customers.create({ email: e, password, password_confirmation: password, first_name: "Jane", last_name: "Doe" });
  assert.equal(typeof res.token, "string");
  assert.equal(typeof res.refresh_token, "string");
  assertCustomer(res.user);
  assert.equal(res.user.email, e);
  assert.equal(res.user.first_name, "Jane");
  assert.equal(res.user.phone, null);
  assert.equal(res.user.full_name, "Jane Doe");
  assert.deepEqual(res.user.addresses, []);
  assert.equal(res.user.default_billing_address, null);
});

test("customers.create: taken e-mail (any case) is 422 validation_error with details.email", async () => {
  const c = client();
  const { email: e } = await register(c);
  await assert.rejects(c.customers.create({ email: e.toUpperCase(), password, password_confirmation: password }), (err) => {
    assert.equal(err.status, 422);
    assert.equal(err.code, "validation_error");
    assert.deepEqual(err.details.email, ["has already been taken"]);
    return true;
  });
});

test("customers.create: password_confirmation mismatch and bad e-mail are 422", async () => {
  const c = client();
  await assert.rejects(c.customers.create({ email: email(), password, password_confirmation: "other-thing-123" }), (err) => {
    assert.equal(err.code, "validation_error");
    assert.ok(Array.isArray(err.details.password_confirmation));
    return true;
  });
  await assert.rejects(c.customers.create({ email: "not-an-email", password, password_confirmation: password }), (err) => {
    assert.equal(err.code, "validation_error");
    assert.ok(Array.isArray(err.details.email));
    return true;
  });
});

test("customers.create: unknown or secret key is 401 invalid_token", async () => {
  await rejects(client("pk_nope").customers.create({ email: email(), password, password_confirmation: password }), 401, "invalid_token");
  await rejects(client(process.env.CLIENTELE_SK).customers.create({ email: email(), password, password_confirmation: password }), 401, "invalid_token");
});

test("auth.login succeeds and fails identically for unknown e-mail and wrong password", async () => {
  const c = client();
  const { email: e } = await register(c);
  const res = await c.auth.login({ email: e.toUpperCase(), password });
  assert.equal(typeof res.token, "string");
  assert.equal(res.user.email, e);
  let a, b;
  await assert.rejects(c.auth.login({ email: e, password: "wrong-password-1" }), (err) => { a = err; return true; });
  await assert.rejects(c.auth.login({ email: email(), password: "wrong-password-1" }), (err) => { b = err; return true; });
  assert.equal(a.status, 401);
  assert.equal(a.code, "authentication_failed");
  assert.equal(a.message, "Invalid email or password");
  assert.deepEqual([b.status, b.code, b.message], [a.status, a.code, a.message]);
  await rejects(c.auth.login({ email: e, password, provider: "google" }), 400, "invalid_provider");
});

test("auth.refresh rotates the refresh token and rejects an access token", async () => {
  const c = client();
  const reg = await register(c);
  const res = await c.auth.refresh({ refresh_token: reg.refresh_token });
  assert.notEqual(res.refresh_token, reg.refresh_token);
  assert.equal(typeof res.token, "string");
  assert.equal(res.user.id, reg.user.id);
  const me = await c.customer.get({ token: res.token });
  assert.equal(me.id, reg.user.id);
  await rejects(c.auth.refresh({ refresh_token: reg.token }), 401, "invalid_refresh_token");
  await rejects(c.auth.refresh({ refresh_token: "" }), 401, "invalid_refresh_token");
});

test("auth.logout answers 204 (undefined) and ends the session", async () => {
  const c = client();
  const reg = await register(c);
  assert.equal(await c.auth.logout({ refresh_token: reg.refresh_token }, { token: reg.token }), undefined);
  await rejects(c.auth.refresh({ refresh_token: reg.refresh_token }), 401, "invalid_refresh_token");
  await rejects(c.customer.get({ token: reg.token }), 401, "authentication_required");
  assert.equal(await c.auth.logout({ refresh_token: "unknown" }), undefined);
});

test("passwordResets.create answers 202 identically for known and unknown e-mails", async () => {
  const c = client();
  const { email: e } = await register(c);
  const a = await c.passwordResets.create({ email: e });
  const b = await c.passwordResets.create({ email: email(), redirect_url: "https://evil.example/reset" });
  assert.equal(typeof a.message, "string");
  assert.deepEqual(a, b);
  const r = await raw("POST", "/password_resets", { body: { email: "not-an-email" } });
  assert.equal(r.status, 202);
  assert.match(r.headers.get("content-type"), /application\/json/);
});

test("passwordResets.update sets the password, logs in and revokes old sessions", async () => {
  const c = client();
  const reg = await register(c);
  await c.passwordResets.create({ email: reg.email });
  const token = await resetToken(reg.email);
  assert.match(token, /^[A-Za-z0-9_-]+$/);
  await assert.rejects(c.passwordResets.update(token, { password: "new-password-77", password_confirmation: "nope-nope-77" }), (err) => {
    assert.equal(err.code, "validation_error");
    return true;
  });
  const res = await c.passwordResets.update(token, { password: "new-password-77", password_confirmation: "new-password-77" });
  assert.equal(typeof res.token, "string");
  assert.equal(res.user.id, reg.user.id);
  await rejects(c.customer.get({ token: reg.token }), 401, "authentication_required");
  await rejects(c.auth.refresh({ refresh_token: reg.refresh_token }), 401, "invalid_refresh_token");
  await rejects(c.passwordResets.update(token, { password: "another-pass-88", password_confirmation: "another-pass-88" }), 422, "password_reset_token_invalid");
  const login = await c.auth.login({ email: reg.email, password: "new-password-77" });
  assert.equal(login.user.id, reg.user.id);
});

test("customer.get returns the customer; without a valid token 401 authentication_required", async () => {
  const c = client();
  const reg = await register(c);
  const me = await c.customer.get({ token: reg.token });
  assertCustomer(me);
  assert.equal(me.email, reg.email);
  await rejects(c.customer.get(), 401, "authentication_required");
  await rejects(c.customer.get({ token: "garbage" }), 401, "authentication_required");
  await rejects(c.customer.get({ token: reg.refresh_token }), 401, "authentication_required");
});

test("customer.update changes the profile; e-mail and password changes need current_password", async () => {
  const c = client();
  const reg = await register(c);
  const opts = { token: reg.token };
  const up = await c.customer.update({ first_name: "Janet", phone: "+1 555 0100", id: "cus_evil" }, opts);
  assert.equal(up.first_name, "Janet");
  assert.equal(up.phone, "+1 555 0100");
  assert.equal(up.id, reg.user.id);
  await rejects(c.customer.update({ password: "brand-new-pass-1", password_confirmation: "brand-new-pass-1" }, opts), 422, "current_password_invalid");
  await rejects(c.customer.update({ email: email() }, opts), 422, "current_password_invalid");
  await rejects(c.customer.update({ password: "brand-new-pass-1", password_confirmation: "brand-new-pass-1", current_password: "wrong-wrong-1" }, opts), 422, "current_password_invalid");
  const other = await register(c);
  const pw = await c.customer.update({ password: "brand-new-pass-1", password_confirmation: "brand-new-pass-1", current_password: password }, { token: other.token });
  assert.equal(pw.id, other.user.id);
  // The caller's session stays valid; a login with the new password works.
  const me = await c.customer.get({ token: other.token });
  assert.equal(me.id, other.user.id);
  const login = await c.auth.login({ email: other.email, password: "brand-new-pass-1" });
  assert.equal(login.user.id, other.user.id);
  // E-mail change: 200, confirmed by mail (the old e-mail is shown until then).
  const changed = await c.customer.update({ email: email(), current_password: password }, opts);
  assert.equal(changed.email, reg.email);
});
