package httpapi

// routesCredit registers store credit and gift cards: the customer reads
// their balances and ledger, lists and redeems cards; the store's admin
// (secret key) writes ledger movements and issues and adjusts cards.
func (a *API) routesCredit(h route) {
	h("GET /v1/customer/store-credits", a.customer(a.creditMine))
	h("GET /v1/customer/gift-cards", a.customer(a.giftCardsMine))
	h("GET /v1/customer/gift-cards/{id}", a.customer(a.giftCardMine))
	h("POST /v1/customer/gift-cards/redeem", a.customer(a.giftCardRedeem))

	h("GET /admin/v1/customers/{id}/store-credits", a.admin(a.creditAdminGet))
	h("POST /admin/v1/customers/{id}/store-credits", a.admin(a.creditAdminAdd))
	h("POST /admin/v1/gift-cards", a.admin(a.giftCardAdminIssue))
	h("GET /admin/v1/gift-cards/{id}", a.admin(a.giftCardAdminGet))
	h("POST /admin/v1/gift-cards/{id}/adjustments", a.admin(a.giftCardAdminAdjust))
}
