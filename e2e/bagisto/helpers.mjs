// Shared helpers for the Bagisto end-to-end suite. Bagisto has no official
// SDK: storefronts and apps call its REST routes with plain HTTP, so this
// suite does too, with fetch, against the Clientele under test.
import assert from "node:assert/strict";

export const url = process.env.CLIENTELE_URL;
export const pk = process.env.CLIENTELE_PK;
export const sk = process.env.CLIENTELE_SK;
// The client base a multi-store deployment hands a Bagisto client: the
// store pinned by path.
export const base = `${url}/bagisto/stores/${pk}`;
export const password = "correct-horse-battery-9";

let n = 0;
export function email(tag = "c") {
  n++;
  return `${tag}-${Date.now()}-${n}@example.com`;
}

// call sends one request the way Bagisto clients do: Accept JSON, a JSON
// body (or a form when form is set), a Bearer token when given.
export async function call(method, path, { token, body, form, headers = {}, root = base } = {}) {
  const h = { accept: "application/json", ...headers };
  let payload;
  if (form !== undefined) {
    h["content-type"] = "application/x-www-form-urlencoded";
    payload = new URLSearchParams(form).toString();
  } else if (body !== undefined) {
    h["content-type"] ??= "application/json";
    payload = typeof body === "string" ? body : JSON.stringify(body);
  }
  if (token) h.authorization = "Bearer " + token;
  const res = await fetch(root + path, { method, headers: h, body: payload, redirect: "manual" });
  const text = await res.text();
  assert.equal(res.headers.get("content-type"), "application/json", `${method} ${path}: ${text}`);
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

// expect asserts a status and returns the body.
export function expect(res, status) {
  assert.equal(res.status, status, JSON.stringify(res.json));
  return res.json;
}

export const TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

export function isId(v) {
  assert.ok(Number.isInteger(v) && v >= 1 && v <= 2 ** 31 - 1, `id ${v} is not a positive 32-bit integer`);
}

// register signs a customer up through the legacy family.
export async function register(e = email(), extra = {}) {
  const res = await call("POST", "/api/customer/register", {
    body: { first_name: "ada", last_name: "Lovelace", email: e, password, password_confirmation: password, ...extra },
  });
  assert.deepEqual(expect(res, 200), { message: "Your account has been created successfully." });
  return e;
}

// login logs in through the legacy family with ?token=true.
export async function login(e, pw = password) {
  const body = expect(await call("POST", "/api/customer/login?token=true", { body: { email: e, password: pw } }), 200);
  return { token: body.token, customer: body.data };
}

export async function signup(tag) {
  const e = await register(email(tag));
  return { email: e, ...(await login(e)) };
}

// assertCustomer checks every key of the customer resource (contract
// §5.1) in its family's order.
export function assertCustomer(c, { v1 = false, email: e, first = "ada", last = "Lovelace", gender = null, dob = null, phone = null }) {
  const keys = v1
    ? ["id", "email", "name", "first_name", "last_name", "gender", "date_of_birth", "phone", "status", "group", "notes", "created_at", "updated_at"]
    : ["id", "email", "first_name", "last_name", "name", "gender", "date_of_birth", "phone", "status", "group", "created_at", "updated_at"];
  assert.deepEqual(Object.keys(c), keys);
  isId(c.id);
  assert.equal(c.email, e);
  assert.equal(c.first_name, first);
  assert.equal(c.last_name, last);
  assert.equal(c.name, [first, last].filter(Boolean).map((s) => s[0].toUpperCase() + s.slice(1)).join(" "));
  assert.equal(c.gender, gender);
  assert.equal(c.date_of_birth, dob);
  assert.equal(c.phone, phone);
  assert.equal(c.status, 1);
  assert.deepEqual(Object.keys(c.group), ["id", "name", "created_at", "updated_at"]);
  isId(c.group.id);
  assert.equal(c.group.name, "General");
  assert.match(c.group.created_at, TS);
  assert.match(c.group.updated_at, TS);
  if (v1) assert.deepEqual(c.notes, []);
  assert.match(c.created_at, TS);
  assert.match(c.updated_at, TS);
}

export const home = {
  first_name: "Ada", last_name: "Lovelace", company_name: "Analytical Engines", vat_id: "GB123456789",
  country: "us", state: "NY", city: "New York", postcode: "10001", phone: "+15551234",
};

// assertAddress checks every key of an address in its family's form
// (contract §5.2, §5.3) against what was sent.
export function assertAddress(a, { v1 = false, lines, isDefault, email: e = null, sent = home }) {
  const keys = v1
    ? ["id", "first_name", "last_name", "company_name", "vat_id", "address", "country", "country_name", "state", "city", "postcode", "phone", "email", "is_default", "created_at", "updated_at", "address1"]
    : ["id", "first_name", "last_name", "company_name", "vat_id", "address1", "country", "country_name", "state", "city", "postcode", "phone", "is_default", "created_at", "updated_at"];
  assert.deepEqual(Object.keys(a), keys);
  isId(a.id);
  assert.equal(a.first_name, sent.first_name ?? null);
  assert.equal(a.last_name, sent.last_name ?? null);
  assert.equal(a.company_name, sent.company_name ?? null);
  assert.equal(a.vat_id, sent.vat_id ?? null);
  assert.deepEqual(a.address1, lines);
  if (v1) {
    assert.deepEqual(a.address, lines);
    assert.equal(a.email, e);
  }
  assert.equal(a.country, sent.country.toUpperCase());
  assert.equal(a.country_name, sent.country.toUpperCase() === "US" ? "United States" : a.country_name);
  assert.equal(a.state, sent.state ?? null);
  assert.equal(a.city, sent.city);
  assert.equal(a.postcode, sent.postcode);
  assert.equal(a.phone, sent.phone);
  assert.equal(a.is_default, isDefault);
  assert.match(a.created_at, TS);
  assert.match(a.updated_at, TS);
}

// assertPage checks Laravel's pagination envelope (contract §5.6).
export function assertPage(body, { path, page = 1, perPage = 10, total }) {
  const last = Math.max(1, Math.ceil(total / perPage));
  const u = (p) => (p >= 1 && p <= last ? `${path}?page=${p}` : null);
  assert.deepEqual(Object.keys(body), ["data", "links", "meta"]);
  assert.deepEqual(body.links, { first: u(1), last: u(last), prev: u(page - 1), next: u(page + 1) });
  const onPage = Math.max(0, Math.min(perPage, total - (page - 1) * perPage));
  assert.equal(body.data.length, onPage);
  const from = onPage ? (page - 1) * perPage + 1 : null;
  const to = onPage ? from + onPage - 1 : null;
  const links = [{ url: u(page - 1), label: "&laquo; Previous", active: false }];
  for (let p = 1; p <= last; p++) links.push({ url: u(p), label: String(p), active: p === page });
  links.push({ url: u(page + 1), label: "Next &raquo;", active: false });
  assert.deepEqual(body.meta, { current_page: page, from, last_page: last, links, path, per_page: perPage, to, total });
}

// resetToken waits for the latest password-reset mail sent to `to` and
// returns the token from its link.
export async function resetToken(to) {
  for (let i = 0; i < 50; i++) {
    const res = await fetch(`${process.env.CLIENTELE_MAIL_URL}?to=${encodeURIComponent(to)}&kind=password_reset`);
    const msgs = await res.json();
    if (msgs.length > 0) {
      const m = msgs[msgs.length - 1].text.match(/[?&]token=([A-Za-z0-9_-]+)/);
      if (m) return m[1];
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("no reset mail for " + to);
}

// mails returns the mails of one kind sent to `to`.
export async function mails(to, kind) {
  const res = await fetch(`${process.env.CLIENTELE_MAIL_URL}?to=${encodeURIComponent(to)}&kind=${kind}`);
  return res.json();
}

// seedOrders has the store's back end report two orders of the customer:
// a completed one (2 lines, $113.25) and a newer pending one ($19.99).
export async function seedOrders(e) {
  const res = await fetch(`${process.env.CLIENTELE_SEED_URL}?email=${encodeURIComponent(e)}`);
  if (!res.ok) throw new Error("seed failed: " + (await res.text()));
  return res.json();
}

// jwtClaims decodes a token's payload (clients that read exp do this).
export function jwtClaims(token) {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
}
