package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

const (
	verifyPath        = "/v1/customer/email-verification"
	verifyConfirmPath = "/v1/customer/email-verification/confirm"
	changePath        = "/v1/customer/email"
	changeConfirmPath = "/v1/customer/email/confirm"
)

func TestEmailVerification(t *testing.T) {
	k := newKit(t)
	c := k.Register("verify@example.com")
	ask := func(body any) *testkit.Response {
		return k.Do(testkit.Req{Method: "POST", Path: verifyPath, Token: c.Access, Body: body})
	}
	confirm := func(token string) *testkit.Response {
		return k.Do(testkit.Req{Method: "POST", Path: verifyConfirmPath, Body: map[string]string{"token": token}})
	}

	want(t, ask(nil), http.StatusAccepted)
	link, old := mailLink(t, waitMail(t, k, "email_verification", c.Email))
	if !strings.HasPrefix(link, "https://shop.example/verify-email?token=") {
		t.Fatalf("link %q does not use the store's origin", link)
	}
	// A newer request supersedes the older link; a redirect_url on an
	// allowed origin is used as it is.
	want(t, ask(map[string]string{"redirect_url": "https://shop.example/account/verify?lang=de"}), http.StatusAccepted)
	link, token := mailLink(t, waitMail(t, k, "email_verification", c.Email))
	if !strings.HasPrefix(link, "https://shop.example/account/verify?lang=de&token=") || token == old {
		t.Fatalf("link %q", link)
	}
	wantProblem(t, confirm(old), http.StatusBadRequest, core.CodeEmailTokenInvalid)
	wantProblem(t, ask(map[string]string{"redirect_url": "https://evil.example/verify"}), http.StatusBadRequest, core.CodeRedirectNotAllowed)

	// The confirmation needs only the publishable key.
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: verifyConfirmPath, PK: "-", Body: map[string]string{"token": token}}), 401, core.CodeInvalidAPIKey)
	other := k.NewShop("Other")
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: verifyConfirmPath, PK: other.PublishableKey, Body: map[string]string{"token": token}}), 400, core.CodeEmailTokenInvalid)
	res := confirm(token)
	want(t, res, http.StatusOK)
	if m := res.JSON(t); m["email"] != c.Email || m["email_verified"] != true || len(m["orders_claimed"].([]any)) != 0 {
		t.Fatalf("confirmation: %v", m)
	}
	wantProblem(t, confirm(token), http.StatusBadRequest, core.CodeEmailTokenInvalid)
	wantProblem(t, confirm("garbage"), http.StatusBadRequest, core.CodeEmailTokenInvalid)
	wantProblem(t, confirm(""), 422, "validation_failed")
	wantProblem(t, ask(nil), http.StatusConflict, core.CodeEmailAlreadyVerified)
}

func TestEmailVerificationExpiresAndIsRateLimited(t *testing.T) {
	k := newKit(t)
	c := k.Register("slow@example.com")
	want(t, k.Do(testkit.Req{Method: "POST", Path: verifyPath, Token: c.Access}), http.StatusAccepted)
	_, token := mailLink(t, waitMail(t, k, "email_verification", c.Email))
	k.Clock.Advance(k.App.Service.Config().EmailTokenTTL + time.Second)
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: verifyConfirmPath, Body: map[string]string{"token": token}}), 400, core.CodeEmailTokenInvalid)

	// The access token expired with the clock; log in again.
	fresh := loginAs(k, c.Email, c.Password)
	want(t, fresh, 200)
	access := fresh.Str(t, "access_token")
	limit := k.App.Service.Config().Limits.EmailTokenSends.Limit
	for range limit {
		want(t, k.Do(testkit.Req{Method: "POST", Path: verifyPath, Token: access}), http.StatusAccepted)
	}
	res := k.Do(testkit.Req{Method: "POST", Path: verifyPath, Token: access})
	wantProblem(t, res, http.StatusTooManyRequests, "rate_limited")
	if res.Header.Get("Retry-After") == "" {
		t.Fatal("no Retry-After")
	}
}

// SECURITY.md 30 and 24: an e-mail change needs the current password, the
// new address takes effect only after confirmation, the old address is
// notified, and the change ends outstanding reset links.
func TestEmailChange(t *testing.T) { onEachDB(t, emailChange) }

func emailChange(t *testing.T, k *testkit.Kit) {
	c := k.Register("before@example.com")
	k.Register("taken@example.com")
	ask := func(body any) *testkit.Response {
		return k.Do(testkit.Req{Method: "POST", Path: changePath, Token: c.Access, Body: body})
	}

	wantProblem(t, ask(map[string]string{"new_email": "after@example.com"}), http.StatusForbidden, core.CodeCurrentPassword)
	wantProblem(t, ask(map[string]string{"new_email": "after@example.com", "password": "not my password"}), http.StatusForbidden, core.CodeCurrentPassword)
	wantProblem(t, ask(map[string]string{"new_email": "TAKEN@example.com", "password": c.Password}), http.StatusConflict, core.CodeEmailTaken)
	bad := ask(map[string]string{"new_email": "not-an-address", "password": c.Password})
	wantProblem(t, bad, 422, "validation_failed")
	if f := bad.JSON(t)["errors"].([]any)[0].(map[string]any)["field"]; f != "new_email" {
		t.Fatalf("field = %v", f)
	}
	wantProblem(t, ask(map[string]string{"new_email": "Before@Example.com", "password": c.Password}), 422, "validation_failed")
	wantProblem(t, ask(map[string]string{"new_email": "after@example.com", "password": c.Password, "email": "x"}), 400, "unknown_field")
	if n := len(shopEvents(t, k, core.EventEmailChangeRequested)); n != 0 {
		t.Fatalf("%d change events for refused requests", n)
	}

	// A guest order placed with the new address waits for the change.
	guest := putOrder(k, "N1", orderBody("after@example.com", nil))
	want(t, guest, http.StatusCreated)

	want(t, ask(map[string]string{"new_email": "After@Example.com", "password": c.Password}), http.StatusAccepted)
	confirmation := waitMail(t, k, "email_change_confirmation", "After@Example.com")
	link, token := mailLink(t, confirmation)
	if !strings.HasPrefix(link, "https://shop.example/confirm-email?token=") {
		t.Fatalf("link %q", link)
	}
	notice := waitMail(t, k, "email_change_notice", c.Email)
	if strings.Contains(notice.Text, "token=") || !strings.Contains(notice.Text, "A***@Example.com") {
		t.Fatalf("notice: %q", notice.Text)
	}

	// Until confirmed, the old address is in force.
	want(t, loginAs(k, c.Email, c.Password), http.StatusOK)
	wantProblem(t, loginAs(k, "after@example.com", c.Password), http.StatusUnauthorized, core.CodeInvalidCredentials)
	me := k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: c.Access})
	if me.Str(t, "email") != c.Email {
		t.Fatalf("the e-mail changed before confirmation: %s", me.Body)
	}
	// A reset link mailed to the old address before the change...
	want(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/password-resets", Body: map[string]string{"email": c.Email}}), http.StatusAccepted)
	_, resetToken := mailLink(t, waitMail(t, k, "password_reset", c.Email))

	done := k.Do(testkit.Req{Method: "POST", Path: changeConfirmPath, Body: map[string]string{"token": token}})
	want(t, done, http.StatusOK)
	m := done.JSON(t)
	if m["email"] != "After@Example.com" || m["email_verified"] != true || len(m["orders_claimed"].([]any)) != 1 {
		t.Fatalf("confirmation: %v", m)
	}
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: changeConfirmPath, Body: map[string]string{"token": token}}), 400, core.CodeEmailTokenInvalid)

	// ...no longer works, the new address logs in and the old does not.
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: "/v1/password-resets/complete", Body: map[string]string{"token": resetToken, "password": "a brand new secret"}}), 400, core.CodeResetTokenInvalid)
	want(t, loginAs(k, "after@example.com", c.Password), http.StatusOK)
	wantProblem(t, loginAs(k, c.Email, c.Password), http.StatusUnauthorized, core.CodeInvalidCredentials)
	// The session that asked is still signed in, and sees the claimed order.
	me = k.Do(testkit.Req{Method: "GET", Path: "/v1/customer", Token: c.Access})
	want(t, me, http.StatusOK)
	if me.Str(t, "email") != "After@Example.com" || me.JSON(t)["email_verified"] != true {
		t.Fatalf("customer: %s", me.Body)
	}
	if n := orderCount(t, k, c); n != 1 {
		t.Fatalf("the new address's guest order is not linked: %d", n)
	}
	for typ, n := range map[string]int{core.EventEmailChangeRequested: 1, core.EventEmailChanged: 1, core.EventOrderClaimed: 1} {
		if got := len(shopEvents(t, k, typ)); got != n {
			t.Fatalf("%d %s events, want %d", got, typ, n)
		}
	}
}

// Wrong passwords on an e-mail change count as failed logins.
func TestEmailChangeWrongPasswordsAreLimited(t *testing.T) {
	k := newKit(t)
	c := k.Register("guess@example.com")
	limit := k.App.Service.Config().Limits.LoginFailuresPerAccount.Limit
	for range limit {
		res := k.Do(testkit.Req{Method: "POST", Path: changePath, Token: c.Access, Body: map[string]string{"new_email": "x@example.com", "password": "wrong guess"}})
		wantProblem(t, res, http.StatusForbidden, core.CodeCurrentPassword)
	}
	res := k.Do(testkit.Req{Method: "POST", Path: changePath, Token: c.Access, Body: map[string]string{"new_email": "x@example.com", "password": c.Password}})
	wantProblem(t, res, http.StatusTooManyRequests, "rate_limited")
	wantProblem(t, loginAs(k, c.Email, c.Password), http.StatusTooManyRequests, "rate_limited")
}

// An address taken between the request and the confirmation: 409, and the
// account keeps its address.
func TestEmailChangeTakenMeanwhile(t *testing.T) {
	k := newKit(t)
	c := k.Register("first@example.com")
	want(t, k.Do(testkit.Req{Method: "POST", Path: changePath, Token: c.Access, Body: map[string]string{"new_email": "wanted@example.com", "password": c.Password}}), http.StatusAccepted)
	_, token := mailLink(t, waitMail(t, k, "email_change_confirmation", "wanted@example.com"))
	k.Register("wanted@example.com")
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: changeConfirmPath, Body: map[string]string{"token": token}}), http.StatusConflict, core.CodeEmailTaken)
	want(t, loginAs(k, c.Email, c.Password), http.StatusOK)
	// A verification token is not a change token.
	want(t, k.Do(testkit.Req{Method: "POST", Path: verifyPath, Token: c.Access}), http.StatusAccepted)
	_, vtoken := mailLink(t, waitMail(t, k, "email_verification", c.Email))
	wantProblem(t, k.Do(testkit.Req{Method: "POST", Path: changeConfirmPath, Body: map[string]string{"token": vtoken}}), 400, core.CodeEmailTokenInvalid)
}
