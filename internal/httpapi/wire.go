package httpapi

import (
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
	}
}

// authJSON is the answer of every call that issues tokens.
type authJSON struct {
	Customer     customerJSON `json:"customer"`
	AccessToken  string       `json:"access_token"`
	TokenType    string       `json:"token_type"`
	ExpiresIn    int          `json:"expires_in"`
	RefreshToken string       `json:"refresh_token"`
	SessionID    string       `json:"session_id"`
}

func toAuth(res *core.AuthResult) authJSON {
	return authJSON{
		Customer: toCustomer(res.Customer), AccessToken: res.Tokens.AccessToken, TokenType: "Bearer",
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
}

func (p profileRequest) update() core.ProfileUpdate {
	return core.ProfileUpdate{
		FirstName: p.FirstName, LastName: p.LastName, Phone: p.Phone, Gender: p.Gender,
		DateOfBirth: p.DateOfBirth, AcceptsEmailMarketing: p.AcceptsEmailMarketing, Metadata: p.Metadata,
	}
}
