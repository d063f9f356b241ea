// Shared helpers for the SFCC end-to-end suite: the real
// commerce-sdk-isomorphic (its CommonJS build: the ESM entry needs
// `require` in Node) pointed at the Clientele under test with `proxy`.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
export const sdk = require("commerce-sdk-isomorphic");
export const { ShopperLogin, ShopperCustomers, helpers } = sdk;

export const url = process.env.CLIENTELE_URL;
export const sk = process.env.CLIENTELE_SK;
export const mailURL = process.env.CLIENTELE_MAIL_URL;
export const orgId = process.env.CLIENTELE_SFCC_ORG_ID || "f_ecom_clnt_dev";
export const clientId = process.env.CLIENTELE_SFCC_CLIENT_ID || "c11e47e1-5fcc-4d1a-8000-000000000001";
export const siteId = process.env.CLIENTELE_SFCC_SITE_ID || "RefArch";
export const redirectURI = process.env.CLIENTELE_SFCC_REDIRECT_URI || "http://localhost:3000/callback";

export function config(overrides = {}) {
  return {
    proxy: url + "/sfcc",
    parameters: { clientId, organizationId: orgId, shortCode: "clientele", siteId, ...overrides },
    throwOnBadResponse: true,
  };
}

export const login = (o) => new ShopperLogin(config(o));
export const customers = (token, o) => {
  const c = config(o);
  if (token) c.headers = { authorization: "Bearer " + token };
  return new ShopperCustomers(c);
};

let n = 0;
export function email(tag = "c") {
  n++;
  return `${tag}-${Date.now()}-${n}@example.com`;
}

export const password = "Correct-horse-battery-9!";

export async function guest(usid) {
  return helpers.loginGuestUser({ slasClient: login(), parameters: { redirectURI, ...(usid ? { usid } : {}) } });
}

// registered signs up a shopper from a guest session and logs them in.
export async function registered(extra = {}) {
  const g = await guest();
  const e = extra.email ?? email();
  await customers(g.access_token).registerCustomer({
    body: { customer: { login: e, email: e, firstName: "Jane", lastName: "Doe", ...extra }, password },
  });
  const t = await helpers.loginRegisteredUserB2C({
    slasClient: login(), credentials: { username: e, password }, parameters: { redirectURI, usid: g.usid },
  });
  return { email: e, guest: g, ...t };
}

// claims decodes a JWT's payload (the SDK never verifies; PWA Kit decodes).
export function claims(jwt) {
  return JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString());
}
export function header(jwt) {
  return JSON.parse(Buffer.from(jwt.split(".")[0], "base64url").toString());
}

// failure runs fn, expects a ResponseError and returns {status, body}.
export async function failure(fn) {
  try {
    await fn();
  } catch (err) {
    if (!err.response) throw err;
    const text = await err.response.text();
    return { status: err.response.status, message: err.message, body: text ? JSON.parse(text) : undefined };
  }
  throw new Error("expected the call to fail");
}

// resetToken waits for the latest password-reset mail sent to `to` and
// returns the token from its link.
export async function resetToken(to) {
  for (let i = 0; i < 50; i++) {
    const res = await fetch(`${mailURL}?to=${encodeURIComponent(to)}&kind=password_reset`);
    const msgs = await res.json();
    if (msgs.length > 0) {
      const m = msgs[msgs.length - 1].text.match(/[?&]token=([A-Za-z0-9_-]+)/);
      if (m) return m[1];
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("no reset mail for " + to);
}
