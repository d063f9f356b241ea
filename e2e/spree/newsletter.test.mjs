import { test } from "node:test";
import assert from "node:assert/strict";
import { client, email, register, mailedToken } from "./helpers.mjs";

const KEYS = ["id", "email", "created_at", "updated_at", "verified", "verified_at", "customer_id"];

test("newsletterSubscribers.create/verify/requestUnsubscribe/delete: a guest's double opt-in", async () => {
  const c = client();
  const addr = email("nl");
  const s = await c.newsletterSubscribers.create({ email: addr });
  for (const k of KEYS) assert.ok(k in s, "missing " + k);
  assert.match(s.id, /^sub_[A-Za-z0-9]+$/);
  assert.equal(s.verified, false);
  assert.equal(s.verified_at, null);
  assert.equal(s.customer_id, null);
  const v = await c.newsletterSubscribers.verify({ token: await mailedToken(addr, "newsletter_verification") });
  assert.equal(v.id, s.id);
  assert.equal(v.verified, true);
  assert.match(v.verified_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  await assert.rejects(c.newsletterSubscribers.verify({ token: "garbage" }),
    (err) => err.status === 422 && err.code === "invalid_token");
  assert.equal(await c.newsletterSubscribers.requestUnsubscribe({ email: addr }), undefined);
  assert.equal(await c.newsletterSubscribers.requestUnsubscribe({ email: email("nobody") }), undefined);
  const tok = await mailedToken(addr, "newsletter_unsubscribe");
  await assert.rejects(c.newsletterSubscribers.delete(s.id), (err) => err.status === 422 && err.code === "invalid_token");
  assert.equal(await c.newsletterSubscribers.delete(s.id, { token: tok }), undefined);
});

test("newsletterSubscribers with a JWT: linked, verified, and following accepts_email_marketing", async () => {
  const c = client();
  const reg = await register(c);
  const opts = { token: reg.token };
  const s = await c.newsletterSubscribers.create({ email: reg.email }, opts);
  assert.equal(s.verified, true);
  assert.equal(s.customer_id, reg.user.id);
  let me = await c.customer.get(opts);
  assert.equal(me.accepts_email_marketing, true);
  assert.equal(me.newsletter_subscriber.id, s.id);
  me = await c.customer.update({ accepts_email_marketing: false }, opts);
  assert.equal(me.newsletter_subscriber, null);
  me = await c.customer.update({ accepts_email_marketing: true }, opts);
  assert.equal(me.newsletter_subscriber.verified, true);
  const other = await register(c);
  await assert.rejects(c.newsletterSubscribers.delete(me.newsletter_subscriber.id, {}, { token: other.token }),
    (err) => err.status === 404 && err.code === "record_not_found");
  assert.equal(await c.newsletterSubscribers.delete(me.newsletter_subscriber.id, {}, opts), undefined);
  me = await c.customer.get(opts);
  assert.equal(me.accepts_email_marketing, false);
  assert.equal(me.newsletter_subscriber, null);
  // Signing up with accepts_email_marketing subscribes the account.
  const opted = await register(c, { accepts_email_marketing: true });
  assert.equal(opted.user.newsletter_subscriber.verified, true);
  assert.equal(opted.user.newsletter_subscriber.customer_id, opted.user.id);
});
