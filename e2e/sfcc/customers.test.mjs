// Shopper Customers through the SDK: profile, ownership, addresses,
// product lists, payment instruments, orders, password change and the
// SLAS password reset.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  helpers, login, customers, guest, registered, failure, email, password, redirectURI, siteId, orgId, clientId, url, resetToken,
} from "./helpers.mjs";

test("getCustomer and updateCustomer; read-only fields are ignored", async () => {
  const u = await registered();
  const sc = customers(u.access_token);
  const me = await sc.getCustomer({ parameters: { customerId: u.customer_id } });
  assert.equal(me.customerId, u.customer_id);
  assert.equal(me.login, u.email);
  assert.equal(me.enabled, true);
  assert.equal(me.hasPassword, true);
  assert.match(me.creationDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.deepEqual(me.addresses, []);
  assert.deepEqual(me.paymentInstruments, []);
  assert.equal(me.phoneHome, undefined);
  const up = await sc.updateCustomer({
    parameters: { customerId: u.customer_id },
    body: { ...me, firstName: "Janet", phoneMobile: "555-0100", birthday: "1990-04-01", gender: 2, customerId: "tampered", enabled: false },
  });
  assert.equal(up.firstName, "Janet");
  assert.equal(up.phoneMobile, "555-0100");
  assert.equal(up.birthday, "1990-04-01");
  assert.equal(up.gender, 2);
  assert.equal(up.customerId, u.customer_id);
  assert.equal(up.enabled, true);
  const cleared = await sc.updateCustomer({ parameters: { customerId: u.customer_id }, body: { phoneMobile: null } });
  assert.equal(cleared.phoneMobile, undefined);
});

test("another customer's id is 400 invalid-customer; no token is 401", async () => {
  const a = await registered();
  const b = await registered();
  let f = await failure(() => customers(a.access_token).getCustomer({ parameters: { customerId: b.customer_id } }));
  assert.equal(f.status, 400);
  assert.match(f.body.type, /invalid-customer$/);
  f = await failure(() => customers(a.access_token).updateCustomer({ parameters: { customerId: b.customer_id }, body: { firstName: "Mallory" } }));
  assert.equal(f.status, 400);
  const still = await customers(b.access_token).getCustomer({ parameters: { customerId: b.customer_id } });
  assert.equal(still.firstName, "Jane");
  f = await failure(() => customers().getCustomer({ parameters: { customerId: a.customer_id } }));
  assert.equal(f.status, 401);
  assert.match(f.body.type, /unauthorized$/);
});

test("orders: an empty page with limit 10", async () => {
  const u = await registered();
  const page = await customers(u.access_token).getCustomerOrders({ parameters: { customerId: u.customer_id } });
  assert.deepEqual(page.data, []);
  assert.equal(page.limit, 10);
  assert.equal(page.total, 0);
});

test("addresses: create, get, list, update, preferred, rename, delete (name with a space)", async () => {
  const u = await registered();
  const sc = customers(u.access_token);
  const cid = u.customer_id;
  const created = await sc.createCustomerAddress({
    parameters: { customerId: cid },
    body: { addressId: "summer house", firstName: "Jane", lastName: "Doe", address1: "1 Beach Rd", city: "Brighton", postalCode: "BN1 1AA", countryCode: "gb", preferred: true },
  });
  assert.equal(created.addressId, "summer house");
  assert.equal(created.countryCode, "GB");
  assert.equal(created.preferred, true);
  assert.equal(created.fullName, "Jane Doe");
  const dup = await failure(() => sc.createCustomerAddress({ parameters: { customerId: cid }, body: { addressId: "summer house", lastName: "Doe", countryCode: "GB" } }));
  assert.equal(dup.status, 400);
  assert.match(dup.body.type, /address-already-exists$/);
  const bad = await failure(() => sc.createCustomerAddress({ parameters: { customerId: cid }, body: { addressId: "x", lastName: "Doe", countryCode: "ZZ" } }));
  assert.equal(bad.status, 400);
  assert.match(bad.body.type, /invalid-address$/);
  await sc.createCustomerAddress({ parameters: { customerId: cid }, body: { addressId: "work", lastName: "Doe", countryCode: "US", stateCode: "NY" } });
  const got = await sc.getCustomerAddress({ parameters: { customerId: cid, addressName: "summer house" } });
  assert.equal(got.city, "Brighton");
  const me = await sc.getCustomer({ parameters: { customerId: cid } });
  assert.deepEqual(me.addresses.map((a) => a.addressId), ["summer house", "work"]);
  const work = await sc.updateCustomerAddress({ parameters: { customerId: cid, addressName: "work" }, body: { preferred: true, city: "New York" } });
  assert.equal(work.preferred, true);
  assert.equal(work.city, "New York");
  const beach = await sc.getCustomerAddress({ parameters: { customerId: cid, addressName: "summer house" } });
  assert.equal(beach.preferred, false);
  const renamed = await sc.updateCustomerAddress({ parameters: { customerId: cid, addressName: "work" }, body: { addressId: "office" } });
  assert.equal(renamed.addressId, "office");
  await sc.removeCustomerAddress({ parameters: { customerId: cid, addressName: "summer house" } });
  const gone = await failure(() => sc.getCustomerAddress({ parameters: { customerId: cid, addressName: "summer house" } }));
  assert.equal(gone.status, 404);
});

test("product lists and items", async () => {
  const u = await registered();
  const sc = customers(u.access_token);
  const cid = u.customer_id;
  const list = await sc.createCustomerProductList({ parameters: { customerId: cid }, body: { type: "wish_list", name: "Birthday" } });
  assert.equal(list.type, "wish_list");
  assert.equal(list.public, false);
  assert.deepEqual(list.customerProductListItems, []);
  const bad = await failure(() => sc.createCustomerProductList({ parameters: { customerId: cid }, body: { type: "nope" } }));
  assert.equal(bad.status, 400);
  const item = await sc.createCustomerProductListItem({ parameters: { customerId: cid, listId: list.id }, body: { productId: "25592770M", quantity: 1, public: false, priority: 1, type: "product" } });
  assert.equal(item.productId, "25592770M");
  assert.equal(item.purchasedQuantity, 0);
  const again = await sc.createCustomerProductListItem({ parameters: { customerId: cid, listId: list.id }, body: { productId: "25592770M", quantity: 2 } });
  assert.equal(again.id, item.id);
  assert.equal(again.quantity, 3);
  const up = await sc.updateCustomerProductListItem({ parameters: { customerId: cid, listId: list.id, itemId: item.id }, body: { quantity: 5 } });
  assert.equal(up.quantity, 5);
  const lists = await sc.getCustomerProductLists({ parameters: { customerId: cid } });
  assert.equal(lists.total, 1);
  assert.equal(lists.data[0].customerProductListItems.length, 1);
  await sc.deleteCustomerProductListItem({ parameters: { customerId: cid, listId: list.id, itemId: item.id } });
  const one = await sc.getCustomerProductList({ parameters: { customerId: cid, listId: list.id } });
  assert.deepEqual(one.customerProductListItems, []);
  await sc.deleteCustomerProductList({ parameters: { customerId: cid, listId: list.id } });
  const gone = await failure(() => sc.getCustomerProductList({ parameters: { customerId: cid, listId: list.id } }));
  assert.equal(gone.status, 404);
});

test("payment instruments keep only the last four digits", async () => {
  const u = await registered();
  const sc = customers(u.access_token);
  const cid = u.customer_id;
  const year = new Date().getFullYear() + 2;
  const pi = await sc.createCustomerPaymentInstrument({
    parameters: { customerId: cid },
    body: { paymentMethodId: "CREDIT_CARD", paymentCard: { cardType: "Visa", holder: "Jane Doe", number: "4111111111111111", expirationMonth: 12, expirationYear: year }, default: true },
  });
  assert.equal(pi.paymentCard.maskedNumber, "************1111");
  assert.equal(pi.paymentCard.numberLastDigits, "1111");
  assert.equal(pi.paymentCard.number, undefined);
  assert.equal(pi.default, true);
  const up = await sc.updateCustomerPaymentInstrument({ parameters: { customerId: cid, paymentInstrumentId: pi.paymentInstrumentId }, body: { paymentCard: { expirationMonth: 1 } } });
  assert.equal(up.paymentCard.expirationMonth, 1);
  const me = await sc.getCustomer({ parameters: { customerId: cid } });
  assert.equal(me.paymentInstruments.length, 1);
  assert.ok(!JSON.stringify(me).includes("4111111111111111"));
  await sc.deleteCustomerPaymentInstrument({ parameters: { customerId: cid, paymentInstrumentId: pi.paymentInstrumentId } });
  const gone = await failure(() => sc.getCustomerPaymentInstrument({ parameters: { customerId: cid, paymentInstrumentId: pi.paymentInstrumentId } }));
  assert.equal(gone.status, 404);
});

test("password change: wrong current 400, other sessions revoked, own kept", async () => {
  const u = await registered();
  const other = await helpers.loginRegisteredUserB2C({ slasClient: login(), credentials: { username: u.email, password }, parameters: { redirectURI } });
  const sc = customers(u.access_token);
  const wrong = await failure(() => sc.updateCustomerPassword({ parameters: { customerId: u.customer_id }, body: { currentPassword: "not-it-at-all-1", password: "N3w-password-long!" } }));
  assert.equal(wrong.status, 400);
  assert.match(wrong.body.type, /invalid-password$/);
  const ok = await sc.updateCustomerPassword({ parameters: { customerId: u.customer_id }, body: { currentPassword: password, password: "N3w-password-long!" } });
  assert.equal(ok, undefined);
  await sc.getCustomer({ parameters: { customerId: u.customer_id } });
  const f = await failure(() => customers(other.access_token).getCustomer({ parameters: { customerId: u.customer_id } }));
  assert.equal(f.status, 401);
  const again = await helpers.loginRegisteredUserB2C({ slasClient: login(), credentials: { username: u.email, password: "N3w-password-long!" }, parameters: { redirectURI } });
  assert.equal(again.customer_id, u.customer_id);
});

// resetRequest sends getPasswordResetToken as PWA Kit does: public client,
// an empty Authorization header, mode=email, hint=cross_device.
async function resetRequest(user) {
  return login().getPasswordResetToken({
    headers: { Authorization: "" },
    body: { user_id: user, mode: "email", channel_id: siteId, client_id: clientId, hint: "cross_device" },
  });
}

test("SLAS password reset by mail: no enumeration, wrong user refused, single use", async () => {
  const u = await registered();
  assert.equal(await resetRequest(u.email), undefined);
  assert.equal(await resetRequest(email("nobody")), undefined);
  const token = await resetToken(u.email);
  const action = (user_id, new_password = "Reset-password-42!") => login().resetPassword({
    headers: { Authorization: "" },
    body: { pwd_action_token: token, new_password, channel_id: siteId, client_id: clientId, user_id, hint: "cross_device" },
  });
  let f = await failure(() => action(email("someone")));
  assert.equal(f.status, 400);
  assert.equal(f.body.message, "Invalid password action token.");
  await action(u.email);
  f = await failure(() => action(u.email, "Another-password-43!"));
  assert.equal(f.status, 400);
  const t = await helpers.loginRegisteredUserB2C({ slasClient: login(), credentials: { username: u.email, password: "Reset-password-42!" }, parameters: { redirectURI } });
  assert.equal(t.customer_id, u.customer_id);
  f = await failure(() => customers(u.access_token).getCustomer({ parameters: { customerId: u.customer_id } }));
  assert.equal(f.status, 401);
});
