// SLAS through the SDK's helpers: guest (public and private), registered
// login, refresh rotation, logout, JWKS.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  helpers, login, customers, guest, registered, claims, header, failure, email, password,
  redirectURI, clientId, orgId, siteId, sk, url,
} from "./helpers.mjs";

const tenant = orgId.replace(/^f_ecom_/, "");

test("guest login returns a full TokenResponse with the SLAS claim layout", async () => {
  const t = await guest();
  assert.equal(t.token_type, "Bearer");
  assert.equal(t.id_token, "");
  assert.equal(t.idp_access_token, "");
  assert.ok(t.expires_in > 60);
  assert.ok(t.refresh_token_expires_in > 0);
  assert.match(t.usid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(t.customer_id, /^[0-9A-Z]{26}$/);
  assert.match(t.enc_user_id, /^[0-9A-F]{32}$/);
  assert.ok(t.refresh_token.length >= 20);
  assert.equal(header(t.access_token).typ, "jwt");
  const c = claims(t.access_token);
  assert.equal(c.iss, `slas/prod/${tenant}`);
  assert.equal(c.aud, `commercecloud/prod/${tenant}`);
  assert.equal(c.sub, `cc-slas::${tenant}::scid:${clientId}::usid:${t.usid}`);
  assert.equal(c.sub.split("::")[3], `usid:${t.usid}`);
  const isb = c.isb.split("::");
  assert.equal(isb.length, 5);
  assert.equal(isb[1], "upn:Guest");
  assert.equal(isb[3], `gcid:${t.customer_id}`);
  assert.equal(isb[4], `chid:${siteId}`);
  assert.equal(c.ctx, "slas");
  assert.equal(c.nbf, c.iat);
  assert.equal(c.exp - c.iat, t.expires_in);
  assert.ok(c.scp.includes("sfcc.shopper-myaccount.rw"));
});

test("guest login with a usid continues the shopper", async () => {
  const a = await guest();
  const b = await guest(a.usid);
  assert.equal(b.usid, a.usid);
  assert.equal(b.customer_id, a.customer_id);
  assert.notEqual(b.refresh_token, a.refresh_token);
});

test("a guest is not a customer: getCustomer is 404", async () => {
  const t = await guest();
  const f = await failure(() => customers(t.access_token).getCustomer({ parameters: { customerId: t.customer_id } }));
  assert.equal(f.status, 404);
  assert.equal(typeof f.body.title, "string");
  assert.match(f.body.type, /errors\/not-found$/);
});

test("unknown client, unregistered redirect URI and unknown organization are refused", async () => {
  let f = await failure(() => helpers.loginGuestUser({ slasClient: login({ clientId: "nope" }), parameters: { redirectURI } }));
  assert.equal(f.status, 400);
  assert.equal(f.body.error, "invalid_request");
  f = await failure(() => helpers.loginGuestUser({ slasClient: login(), parameters: { redirectURI: "https://evil.example/cb" } }));
  assert.equal(f.status, 400);
  assert.equal(f.body.message, "Invalid redirect_uri.");
  f = await failure(() => helpers.loginGuestUser({ slasClient: login({ organizationId: "f_ecom_zzzz_999" }), parameters: { redirectURI } }));
  assert.equal(f.status, 404);
});

test("private guest login with the store's secret key; a wrong secret is 401", async () => {
  const t = await helpers.loginGuestUserPrivate({ slasClient: login(), parameters: {}, credentials: { clientSecret: sk } });
  assert.match(t.usid, /^[0-9a-f-]{36}$/);
  assert.equal(claims(t.access_token).isb.split("::")[1], "upn:Guest");
  const f = await failure(() => helpers.loginGuestUserPrivate({ slasClient: login(), parameters: {}, credentials: { clientSecret: "sk_wrong" } }));
  assert.equal(f.status, 401);
  assert.equal(f.body.error, "invalid_client");
});

test("registration from a guest session, then registered login keeps the usid", async () => {
  const g = await guest();
  const e = email("reg");
  const c = await customers(g.access_token).registerCustomer({
    body: { customer: { login: e, email: e, firstName: "Ada", lastName: "Lovelace" }, password },
  });
  assert.equal(c.login, e);
  assert.equal(c.authType, "registered");
  assert.deepEqual(c.addresses, []);
  const t = await helpers.loginRegisteredUserB2C({
    slasClient: login(), credentials: { username: e.toUpperCase(), password }, parameters: { redirectURI, usid: g.usid },
  });
  assert.equal(t.usid, g.usid);
  assert.equal(t.customer_id, c.customerId);
  const isb = claims(t.access_token).isb.split("::");
  assert.equal(isb.length, 6);
  assert.equal(isb[1], `upn:${e}`);
  assert.equal(isb[2], "uidn:Ada Lovelace");
  assert.equal(isb[3], `gcid:${g.customer_id}`);
  assert.equal(isb[4], `rcid:${c.customerId}`);
});

test("registration needs a token and a free login", async () => {
  const e = email("dup");
  let f = await failure(() => customers().registerCustomer({ body: { customer: { login: e, lastName: "X" }, password } }));
  assert.equal(f.status, 401);
  const g = await guest();
  await customers(g.access_token).registerCustomer({ body: { customer: { login: e, lastName: "X" }, password } });
  f = await failure(() => customers(g.access_token).registerCustomer({ body: { customer: { login: e.toUpperCase(), lastName: "X" }, password } }));
  assert.equal(f.status, 400);
  assert.match(f.body.type, /login-already-in-use$/);
});

test("wrong password and unknown login answer the same 401", async () => {
  const u = await registered();
  const a = await failure(() => helpers.loginRegisteredUserB2C({ slasClient: login(), credentials: { username: u.email, password: "wrong-password-1" }, parameters: { redirectURI } }));
  const b = await failure(() => helpers.loginRegisteredUserB2C({ slasClient: login(), credentials: { username: email("nobody"), password }, parameters: { redirectURI } }));
  assert.equal(a.status, 401);
  assert.match(a.message, /Unauthorized/);
  assert.deepEqual(a.body, b.body);
  assert.equal(a.body.message, "Credentials are invalid.");
});

test("refresh rotates within the session; an unknown refresh token is invalid_grant", async () => {
  const u = await registered();
  const r = await helpers.refreshAccessToken({ slasClient: login(), parameters: { refreshToken: u.refresh_token } });
  assert.notEqual(r.refresh_token, u.refresh_token);
  assert.equal(r.usid, u.usid);
  assert.equal(r.customer_id, u.customer_id);
  const me = await customers(r.access_token).getCustomer({ parameters: { customerId: r.customer_id } });
  assert.equal(me.email, u.email);
  const f = await failure(() => helpers.refreshAccessToken({ slasClient: login(), parameters: { refreshToken: "crt_bogus" } }));
  assert.equal(f.status, 400);
  assert.equal(f.body.message, "invalid refresh_token");
  assert.equal(f.body.error, "invalid_grant");
});

test("logout ends the session: refresh and access token stop working", async () => {
  const u = await registered();
  const out = await helpers.logout({ slasClient: login(), parameters: { accessToken: u.access_token, refreshToken: u.refresh_token } });
  assert.equal(out.access_token, "");
  let f = await failure(() => helpers.refreshAccessToken({ slasClient: login(), parameters: { refreshToken: u.refresh_token } }));
  assert.equal(f.status, 400);
  assert.equal(f.body.message, "invalid refresh_token");
  f = await failure(() => customers(u.access_token).getCustomer({ parameters: { customerId: u.customer_id } }));
  assert.equal(f.status, 401);
});

test("JWKS publishes the token's kid", async () => {
  const u = await guest();
  const jwks = await login().getJwksUri();
  const kid = header(u.access_token).kid;
  assert.ok(jwks.keys.some((k) => k.kid === kid && k.use === "sig" && !k.d));
});

test("the authorize answer is a 303 with an absolute Location", async () => {
  const v = helpers.createCodeVerifier();
  const ch = await helpers.generateCodeChallenge(v);
  const q = new URLSearchParams({ redirect_uri: redirectURI, response_type: "code", client_id: clientId, hint: "guest", channel_id: siteId, code_challenge: ch });
  const res = await fetch(`${url}/sfcc/shopper/auth/v1/organizations/${orgId}/oauth2/authorize?${q}`, { redirect: "manual" });
  assert.equal(res.status, 303);
  const loc = new URL(res.headers.get("location"));
  assert.equal(loc.origin + loc.pathname, redirectURI);
  assert.ok(loc.searchParams.get("code"));
  assert.ok(loc.searchParams.get("usid"));
});
