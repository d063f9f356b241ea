package httpapi

import "github.com/clientele/clientele/internal/core"

// emailVerificationRequest asks for a verification mail; redirect_url,
// when set, must be on one of the store's allowed origins.
type emailVerificationRequest struct {
	RedirectURL string `json:"redirect_url"`
}

// emailTokenRequest carries a mailed token back (it travels in the body,
// never in our own paths, so it stays out of access logs).
type emailTokenRequest struct {
	Token string `json:"token"`
}

// emailChangeRequest asks to move the account to a new address.
type emailChangeRequest struct {
	NewEmail    string `json:"new_email"`
	Password    string `json:"password"`
	RedirectURL string `json:"redirect_url"`
}

// orderClaimRequest asks to claim guest orders by id.
type orderClaimRequest struct {
	OrderIDs    []string `json:"order_ids"`
	RedirectURL string   `json:"redirect_url"`
}

// acceptedJSON is the one answer of every request that sends mail.
type acceptedJSON struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

// emailConfirmedJSON answers a confirmed verification or e-mail change:
// the address now in force and the guest orders that became the
// customer's. It is public (the link is opened from the mail, maybe
// logged out), so it shows nothing the mailbox's reader does not know.
type emailConfirmedJSON struct {
	Email         string   `json:"email"`
	EmailVerified bool     `json:"email_verified"`
	OrdersClaimed []string `json:"orders_claimed"`
}

func toEmailConfirmed(c *core.EmailConfirmation) emailConfirmedJSON {
	return emailConfirmedJSON{
		Email: c.Customer.Email, EmailVerified: c.Customer.EmailVerifiedAt != nil, OrdersClaimed: c.OrdersClaimed,
	}
}

// ordersClaimedJSON answers a confirmed claim.
type ordersClaimedJSON struct {
	OrdersClaimed []string `json:"orders_claimed"`
}
