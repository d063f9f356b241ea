package httpapi

import (
	"time"

	"github.com/clientele/clientele/internal/core"
)

// adminCustomerPatch is the PATCH /admin/v1/customers/{id} body: the
// profile fields plus the status and e-mail verification only an admin may
// set. Anything else (email, password, groups, ids) is an unknown field.
type adminCustomerPatch struct {
	Status                *string         `json:"status"`
	FirstName             *string         `json:"first_name"`
	LastName              *string         `json:"last_name"`
	Phone                 *string         `json:"phone"`
	Gender                *string         `json:"gender"`
	DateOfBirth           *string         `json:"date_of_birth"`
	AcceptsEmailMarketing *bool           `json:"accepts_email_marketing"`
	Metadata              *map[string]any `json:"metadata"`
	EmailVerified         *bool           `json:"email_verified"`
}

func (p adminCustomerPatch) update() core.AdminCustomerUpdate {
	u := core.AdminCustomerUpdate{
		FirstName: p.FirstName, LastName: p.LastName, Phone: p.Phone, Gender: p.Gender, DateOfBirth: p.DateOfBirth,
		AcceptsEmailMarketing: p.AcceptsEmailMarketing, Metadata: p.Metadata, EmailVerified: p.EmailVerified,
	}
	if p.Status != nil {
		st := core.CustomerStatus(*p.Status)
		u.Status = &st
	}
	return u
}

// adminResetRequest is the body of POST /admin/v1/customers/{id}/password-reset.
type adminResetRequest struct {
	RedirectURL string `json:"redirect_url"`
}

// trustedTokenRequest is the body of POST /admin/v1/customers/{id}/tokens.
type trustedTokenRequest struct {
	TTLSeconds *int64 `json:"ttl_seconds"`
}

// trustedTokenJSON is a minted access token: no refresh token, by design.
type trustedTokenJSON struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	SessionID   string `json:"session_id"`
}

// storeJSON is a store's settings as in force: the store's own values, or
// the deployment defaults where it set none.
type storeJSON struct {
	ID                     string   `json:"id"`
	Name                   string   `json:"name"`
	AllowedOrigins         []string `json:"allowed_origins"`
	PasswordResetURL       string   `json:"password_reset_url"`
	AccessTokenTTLSeconds  int64    `json:"access_token_ttl_seconds"`
	RefreshTokenTTLSeconds int64    `json:"refresh_token_ttl_seconds"`
	RefreshIdleTTLSeconds  int64    `json:"refresh_idle_ttl_seconds"`
	ResetTokenTTLSeconds   int64    `json:"reset_token_ttl_seconds"`
	EmailExistsCheck       bool     `json:"email_exists_check"`
	MinPasswordLength      int      `json:"min_password_length"`
	MedusaTokenTTLSeconds  int64    `json:"medusa_token_ttl_seconds"`
	WelcomeMail            bool     `json:"welcome_mail"`
	CreatedAt              string   `json:"created_at"`
	UpdatedAt              string   `json:"updated_at"`
}

func (a *API) toStore(sh *core.Shop) storeJSON {
	st := a.svc.EffectiveSettings(sh)
	origins := sh.AllowedOrigins
	if origins == nil {
		origins = []string{}
	}
	return storeJSON{
		ID: sh.ID, Name: sh.Name, AllowedOrigins: origins, PasswordResetURL: sh.PasswordResetURL,
		AccessTokenTTLSeconds: secs(st.AccessTokenTTL), RefreshTokenTTLSeconds: secs(st.RefreshTokenTTL),
		RefreshIdleTTLSeconds: secs(st.RefreshIdleTTL), ResetTokenTTLSeconds: secs(st.ResetTokenTTL),
		EmailExistsCheck: st.EmailExistsCheck, MinPasswordLength: st.MinPasswordLength,
		CreatedAt: stamp(sh.CreatedAt), UpdatedAt: stamp(sh.UpdatedAt),
		MedusaTokenTTLSeconds: secs(st.MedusaTokenTTL), WelcomeMail: !st.WelcomeMailOff,
	}
}

func secs(d time.Duration) int64 { return int64(d / time.Second) }

// storePatch is the PATCH /admin/v1/store body; every field is optional.
type storePatch struct {
	Name                   *string   `json:"name"`
	AllowedOrigins         *[]string `json:"allowed_origins"`
	PasswordResetURL       *string   `json:"password_reset_url"`
	AccessTokenTTLSeconds  *int64    `json:"access_token_ttl_seconds"`
	RefreshTokenTTLSeconds *int64    `json:"refresh_token_ttl_seconds"`
	RefreshIdleTTLSeconds  *int64    `json:"refresh_idle_ttl_seconds"`
	ResetTokenTTLSeconds   *int64    `json:"reset_token_ttl_seconds"`
	EmailExistsCheck       *bool     `json:"email_exists_check"`
	MinPasswordLength      *int      `json:"min_password_length"`
	MedusaTokenTTLSeconds  *int64    `json:"medusa_token_ttl_seconds"`
	WelcomeMail            *bool     `json:"welcome_mail"`
}

func (p storePatch) update() core.ShopUpdate {
	return core.ShopUpdate{
		Name: p.Name, AllowedOrigins: p.AllowedOrigins, PasswordResetURL: p.PasswordResetURL,
		AccessTokenTTL: duration(p.AccessTokenTTLSeconds), RefreshTokenTTL: duration(p.RefreshTokenTTLSeconds),
		RefreshIdleTTL: duration(p.RefreshIdleTTLSeconds), ResetTokenTTL: duration(p.ResetTokenTTLSeconds),
		EmailExistsCheck: p.EmailExistsCheck, MinPasswordLength: p.MinPasswordLength,
		MedusaTokenTTL: duration(p.MedusaTokenTTLSeconds), WelcomeMail: p.WelcomeMail,
	}
}

// maxSeconds is beyond every TTL core accepts and far from overflowing a
// Duration, so a huge number stays out of range instead of wrapping into it.
const maxSeconds = 1 << 32

// duration converts optional seconds to a Duration.
func duration(sec *int64) *time.Duration {
	if sec == nil {
		return nil
	}
	d := time.Duration(min(max(*sec, -1), maxSeconds)) * time.Second
	return &d
}

// eventJSON is one outbox event.
type eventJSON struct {
	ID        string         `json:"id"`
	Type      string         `json:"type"`
	SubjectID string         `json:"subject_id"`
	Data      map[string]any `json:"data"`
	CreatedAt string         `json:"created_at"`
}

func toEvent(e core.Event) eventJSON {
	data := e.Data
	if data == nil {
		data = map[string]any{}
	}
	return eventJSON{ID: e.ID, Type: e.Type, SubjectID: e.SubjectID, Data: data, CreatedAt: stamp(e.CreatedAt)}
}
