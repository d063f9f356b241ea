// Shared helpers for the Spree end-to-end suite: a real @spree/sdk client
// against the Clientele under test, unique e-mails and mail look-up.
import { createClient } from "@spree/sdk";

export const url = process.env.CLIENTELE_URL;
export const pk = process.env.CLIENTELE_PK;
export const mailURL = process.env.CLIENTELE_MAIL_URL;

export function client(key = pk) {
  return createClient({ baseUrl: url + "/spree", publishableKey: key });
}

let n = 0;
export function email(tag = "c") {
  n++;
  return `${tag}-${Date.now()}-${n}@example.com`;
}

export const password = "correct-horse-battery-9";

export async function register(c = client(), extra = {}) {
  const e = extra.email ?? email();
  const res = await c.customers.create({
    email: e, password, password_confirmation: password, first_name: "Jane", last_name: "Doe", ...extra,
  });
  return { email: e, ...res };
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

// mailedToken waits for the latest mail of a kind sent to `to` and returns
// the token from its link.
export async function mailedToken(to, kind) {
  for (let i = 0; i < 50; i++) {
    const res = await fetch(`${mailURL}?to=${encodeURIComponent(to)}&kind=${kind}`);
    const msgs = await res.json();
    if (msgs.length > 0) {
      const m = msgs[msgs.length - 1].text.match(/[?&]token=([A-Za-z0-9_-]+)/);
      if (m) return m[1];
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${kind} mail for ${to}`);
}

// raw sends a request without the SDK, for checks the SDK cannot express.
export async function raw(method, path, { body, token, key = pk, headers = {} } = {}) {
  const h = { "content-type": "application/json", ...headers };
  if (key) h["x-spree-api-key"] = key;
  if (token) h.authorization = "Bearer " + token;
  const res = await fetch(url + "/spree/api/v3/store" + path, {
    method, headers: h, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}

// seed has the store's back end report an order, a saved card, a PayPal
// method and a gift card for the customer.
export async function seed(user) {
  const res = await fetch(`${process.env.CLIENTELE_SEED_URL}?customer=${user.id}&email=${encodeURIComponent(user.email)}`);
  if (!res.ok) throw new Error("seed failed: " + (await res.text()));
  return res.json();
}
