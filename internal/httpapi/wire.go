package httpapi

import (
	"context"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// customerJSON is the /v1 customer resource. Optional text fields are null
// when unset, never omitted, so clients see one stable shape.
type customerJSON struct {
	ID                    string         `json:"id"`
	Email                 string         `json:"email"`
	EmailVerified         bool           `json:"email_verified"`
	FirstName             *string        `json:"first_name"`
	LastName              *string        `json:"last_name"`
	Phone                 *string        `json:"phone"`
	Gender                *string        `json:"gender"`
	DateOfBirth           *string        `json:"date_of_birth"`
	AcceptsEmailMarketing bool           `json:"accepts_email_marketing"`
	Status                string         `json:"status"`
	Metadata              map[string]any `json:"metadata"`
	CreatedAt             string         `json:"created_at"`
	UpdatedAt             string         `json:"updated_at"`
	CompanyName           *string        `json:"company_name"`
	// The defaults point into the customer's address book; null when unset.
	DefaultBillingAddressID  *string `json:"default_billing_address_id"`
	DefaultShippingAddressID *string `json:"default_shipping_address_id"`
	// Groups are the store-defined groups the customer is in ([] when none).
	Groups []groupRefJSON `json:"groups"`
}

// groupRefJSON names a group the customer is in.
type groupRefJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func toCustomer(c *core.Customer) customerJSON {
	md := c.Metadata
	if md == nil {
		md = map[string]any{}
	}
	return customerJSON{
		ID: c.ID, Email: c.Email, EmailVerified: c.EmailVerifiedAt != nil,
		FirstName: nullable(c.FirstName), LastName: nullable(c.LastName), Phone: nullable(c.Phone),
		Gender: nullable(c.Gender), DateOfBirth: nullable(c.DateOfBirth),
		AcceptsEmailMarketing: c.AcceptsEmailMarketing, Status: string(c.Status), Metadata: md,
		CreatedAt: stamp(c.CreatedAt), UpdatedAt: stamp(c.UpdatedAt),
		CompanyName: nullable(c.CompanyName), DefaultBillingAddressID: nullable(c.DefaultBillingAddressID),
		DefaultShippingAddressID: nullable(c.DefaultShippingAddressID), Groups: []groupRefJSON{},
	}
}

// customerView renders a customer with its groups. Every handler that
// answers with a customer (/v1 and /admin/v1) uses it rather than
// toCustomer, which leaves the groups empty because it cannot read them.
func (a *API) customerView(ctx context.Context, c *core.Customer) (customerJSON, error) {
	out := toCustomer(c)
	gs, err := a.svc.CustomerGroups(ctx, c.ShopID, c.ID)
	if err != nil {
		return customerJSON{}, err
	}
	for _, g := range gs {
		out.Groups = append(out.Groups, groupRefJSON{ID: g.ID, Name: g.Name})
	}
	return out, nil
}

// authJSON is the answer of every call that issues tokens. Customer is
// null for a guest session (a refresh of one); GuestID is the session's
// guest id, or null when it never was a guest's.
type authJSON struct {
	Customer     *customerJSON `json:"customer"`
	GuestID      *string       `json:"guest_id"`
	AccessToken  string        `json:"access_token"`
	TokenType    string        `json:"token_type"`
	ExpiresIn    int           `json:"expires_in"`
	RefreshToken string        `json:"refresh_token"`
	SessionID    string        `json:"session_id"`
}

func toAuth(res *core.AuthResult) authJSON {
	var c *customerJSON
	if res.Customer != nil {
		v := toCustomer(res.Customer)
		c = &v
	}
	return authJSON{
		Customer: c, GuestID: nullable(res.GuestID), AccessToken: res.Tokens.AccessToken, TokenType: "Bearer",
		ExpiresIn: int(res.Tokens.ExpiresIn.Seconds()), RefreshToken: res.Tokens.RefreshToken, SessionID: res.Tokens.SessionID,
	}
}

// sessionJSON is one of the customer's sessions.
type sessionJSON struct {
	ID         string  `json:"id"`
	Current    bool    `json:"current"`
	CreatedAt  string  `json:"created_at"`
	LastUsedAt string  `json:"last_used_at"`
	ExpiresAt  string  `json:"expires_at"`
	UserAgent  *string `json:"user_agent"`
	IP         *string `json:"ip"`
}

// listJSON is the envelope of every list.
type listJSON[T any] struct {
	Data       []T     `json:"data"`
	NextCursor *string `json:"next_cursor"`
}

type registerRequest struct {
	Email                 string         `json:"email"`
	Password              string         `json:"password"`
	FirstName             string         `json:"first_name"`
	LastName              string         `json:"last_name"`
	Phone                 string         `json:"phone"`
	AcceptsEmailMarketing bool           `json:"accepts_email_marketing"`
	Metadata              map[string]any `json:"metadata"`
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

type logoutRequest struct {
	All bool `json:"all"`
}

type resetRequest struct {
	Email       string `json:"email"`
	RedirectURL string `json:"redirect_url"`
}

type resetCompleteRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

type changePasswordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

type deleteCustomerRequest struct {
	Password string `json:"password"`
}

// profileRequest is the PATCH /v1/customer body: only these fields exist,
// so anything else (id, email, status, password_hash…) is an unknown field
// and a 400.
type profileRequest struct {
	FirstName             *string         `json:"first_name"`
	LastName              *string         `json:"last_name"`
	Phone                 *string         `json:"phone"`
	Gender                *string         `json:"gender"`
	DateOfBirth           *string         `json:"date_of_birth"`
	AcceptsEmailMarketing *bool           `json:"accepts_email_marketing"`
	Metadata              *map[string]any `json:"metadata"`
	CompanyName           *string         `json:"company_name"`
}

func (p profileRequest) update() core.ProfileUpdate {
	return core.ProfileUpdate{
		FirstName: p.FirstName, LastName: p.LastName, Phone: p.Phone, Gender: p.Gender,
		DateOfBirth: p.DateOfBirth, AcceptsEmailMarketing: p.AcceptsEmailMarketing, Metadata: p.Metadata,
		CompanyName: p.CompanyName,
	}
}
