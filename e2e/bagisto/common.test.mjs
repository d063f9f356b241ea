// Rows shared by both families: store selection, errors, 401 body,
// pagination envelope, integer ids.
import { test } from "node:test";
import assert from "node:assert/strict";
import { call, email, expect, pk, register, signup, sk, url } from "./helpers.mjs";

test("store by header and by the deployment default (one store)", async () => {
  const e = await register(email("c-store"));
  for (const headers of [{ "x-publishable-key": pk }, {}]) {
    const res = await call("POST", "/api/customer/login?token=true", { root: url + "/bagisto", headers, body: { email: e, password: "correct-horse-battery-9" } });
    expect(res, 200);
  }
});

test("unknown, secret or revoked keys: 404 Store not found", async () => {
  for (const root of [`${url}/bagisto/stores/pk_unknown`, `${url}/bagisto/stores/${sk}`]) {
    assert.deepEqual(expect(await call("GET", "/api/customer/get", { root }), 404), { message: "Store not found.", error: "Store not found." });
    assert.deepEqual(expect(await call("GET", "/api/v1/customer/get", { root }), 404), { message: "Store not found." });
  }
  expect(await call("GET", "/api/customer/get", { root: url + "/bagisto", headers: { "x-publishable-key": "pk_nope" } }), 404);
});

test("errors: 401 body, malformed JSON, 415, unknown routes, no redirects", async () => {
  assert.deepEqual(expect(await call("GET", "/api/v1/customer/addresses"), 401), { message: "Unauthenticated.", error: "Unauthenticated" });
  const unauthPut = await call("PUT", "/api/customer/profile", { body: "{not json" });
  expect(unauthPut, 401); // authentication before the body
  assert.equal(unauthPut.headers.get("www-authenticate"), "Bearer");
  const { token } = await signup("c-err");
  assert.deepEqual(expect(await call("PUT", "/api/customer/profile", { token, body: "{not json" }), 400), {
    error: "The request body is not valid JSON.", message: "The request body is not valid JSON.",
  });
  const xml = await call("POST", "/api/v1/customer/addresses", { token, body: "<a/>", headers: { "content-type": "application/xml" } });
  assert.deepEqual(expect(xml, 415), { message: "Unsupported Media Type" });
  assert.deepEqual(expect(await call("GET", "/api/checkout/cart", { token }), 404), { error: "Resource Not Found", message: "Resource Not Found" });
  expect(await call("GET", "/api/addresses/", { token }), 404);
  const wrong = await call("DELETE", "/api/v1/customer/get", { token });
  assert.deepEqual(expect(wrong, 405), { message: "Method Not Allowed" });
});
