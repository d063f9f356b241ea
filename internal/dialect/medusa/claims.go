package medusa

// Medusa's own JWT claims (contract §2.2 v2, §3.2 v1), which storefronts
// decode to read the actor. The core signs them as extra claims of its
// usual tokens (core.TokenClaims), so sid revocation reaches them.

// v2Claims lays out actor_id, actor_type, auth_identity_id, app_metadata
// and user_metadata; a registration token (no customer yet) is actorless.
func v2Claims(customerID, identityID string) map[string]any {
	if identityID == "" {
		identityID = authID(customerID)
	}
	app := map[string]any{}
	if customerID != "" {
		app["customer_id"] = customerID
	}
	return map[string]any{
		"actor_id": customerID, "actor_type": "customer", "auth_identity_id": identityID,
		"app_metadata": app, "user_metadata": map[string]any{},
	}
}

// v1Claims lays out customer_id and domain, as Medusa v1's store tokens.
func v1Claims(customerID, _ string) map[string]any {
	return map[string]any{"customer_id": customerID, "domain": "store"}
}
