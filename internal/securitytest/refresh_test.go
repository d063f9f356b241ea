package securitytest

import (
	"database/sql"
	"encoding/hex"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/testkit"
)

// Case 17: R1 → R2; R1 again after the grace window is reuse: 401, and the
// whole family is revoked: R2 and the session's access tokens are refused.
func case17(t *testing.T) {
	onBackends(t, func(t *testing.T, k *testkit.Kit) {
		c := k.Register("reuse@example.com")
		r2 := refresh(t, k, c.Refresh)
		want(t, r2, 200)
		k.Clock.Advance(11 * time.Second)
		wantProblem(t, refresh(t, k, c.Refresh), 401, "refresh_token_reused")
		wantProblem(t, refresh(t, k, r2.Str(t, "refresh_token")), 401, "invalid_grant")
		wantProblem(t, me(t, k, r2.Str(t, "access_token")), 401, "session_revoked")
		wantProblem(t, me(t, k, c.Access), 401, "session_revoked")
		// Through the dialects the family is dead too.
		for _, s := range dialectSurfaces() {
			if r := s.me(t, k, k.PK, r2.Str(t, "access_token")); r.Status != s.unauthorized {
				t.Errorf("%s accepted an access token of a revoked family: %d", s.name, r.Status)
			}
		}
	})
}

// Case 18: 50 parallel submissions of R1 yield at most one distinct child;
// a retry within the grace window gets that same child; no session ever
// has two live refresh tokens.
func case18(t *testing.T) {
	onBackendsDB(t, func(t *testing.T, k *testkit.Kit, db *sql.DB) {
		c := k.Register("race@example.com")
		const n = 50
		var wg sync.WaitGroup
		children := make(chan string, n)
		for range n {
			wg.Go(func() {
				res := refresh(t, k, c.Refresh)
				switch res.Status {
				case http.StatusOK:
					children <- res.Str(t, "refresh_token")
				case http.StatusServiceUnavailable, http.StatusConflict, http.StatusTooManyRequests:
				default:
					t.Errorf("parallel refresh: %d %s", res.Status, res.Body)
				}
			})
		}
		wg.Wait()
		close(children)
		distinct := map[string]bool{}
		for ch := range children {
			distinct[ch] = true
		}
		if len(distinct) != 1 {
			t.Fatalf("%d distinct children from one parent, want 1", len(distinct))
		}
		var child string
		for ch := range distinct {
			child = ch
		}
		k.Clock.Advance(4 * time.Second)
		retry := refresh(t, k, c.Refresh)
		want(t, retry, 200)
		if retry.Str(t, "refresh_token") != child {
			t.Fatal("a retry within the grace window minted another child")
		}
		if forks := count(t, db, `SELECT count(*) FROM (SELECT session_id FROM refresh_tokens
			WHERE rotated_at IS NULL GROUP BY session_id HAVING count(*) > 1) f`); forks != 0 {
			t.Fatalf("%d sessions with two live refresh tokens", forks)
		}
		want(t, refresh(t, k, child), 200)
	}, testkit.WithCore(relaxed()))
}

// Case 19: refresh after logout, a password change, a reset, or the
// account's disabling is 401.
func case19(t *testing.T) {
	onBackends(t, func(t *testing.T, k *testkit.Kit) {
		a := k.Register("logout@example.com")
		want(t, native(t, k, "POST", "/v1/auth/logout", a.Access, nil), 204)
		wantProblem(t, refresh(t, k, a.Refresh), 401, "")

		b := k.Register("change@example.com")
		other := login(t, k, b.Email, b.Password)
		want(t, native(t, k, "POST", "/v1/customer/password", b.Access, map[string]string{"current_password": b.Password, "new_password": "a different long secret"}), 204)
		wantProblem(t, refresh(t, k, other.Str(t, "refresh_token")), 401, "")

		c := k.Register("reset@example.com")
		tok := requestReset(t, k, c.Email, 1)
		want(t, native(t, k, "POST", "/v1/password-resets/complete", "", map[string]string{"token": tok, "password": "a brand new secret"}), 200)
		wantProblem(t, refresh(t, k, c.Refresh), 401, "")

		d := k.Register("disable@example.com")
		want(t, k.Do(testkit.Req{Method: "PATCH", Path: "/admin/v1/customers/" + d.ID, Admin: true, Body: map[string]any{"status": "disabled"}, NoCheck: true}), 200)
		wantProblem(t, refresh(t, k, d.Refresh), 401, "")
		want(t, me(t, k, d.Access), 401)
	})
}

// Case 20: a refresh token is refused past the absolute lifetime (30 d by
// default) even if it kept rotating, and past the idle limit (7 d).
func case20(t *testing.T) {
	onBackends(t, func(t *testing.T, k *testkit.Kit) {
		c := k.Register("absolute@example.com")
		tok := c.Refresh
		for range 4 { // 4 × 6 d = 24 d, never idle for 7 d
			k.Clock.Advance(6 * 24 * time.Hour)
			res := refresh(t, k, tok)
			want(t, res, 200)
			tok = res.Str(t, "refresh_token")
		}
		k.Clock.Advance(6*24*time.Hour + time.Minute) // 30 d and a minute, idle 6 d
		wantProblem(t, refresh(t, k, tok), 401, "")

		d := k.Register("idle@example.com")
		k.Clock.Advance(7*24*time.Hour + time.Minute)
		wantProblem(t, refresh(t, k, d.Refresh), 401, "")
	})
}

// Case 21: a database dump holds only SHA-256 hashes of refresh and reset
// tokens, and no stored value works as a token; a refresh token is no
// access token; a token of store X is refused at store Y.
func case21(t *testing.T) {
	onBackendsDB(t, func(t *testing.T, k *testkit.Kit, db *sql.DB) {
		c := k.Register("dump@example.com")
		requestReset(t, k, c.Email, 1)
		for _, table := range []string{"refresh_tokens", "password_resets"} {
			rows, err := db.Query("SELECT hash FROM " + table)
			if err != nil {
				t.Fatal(err)
			}
			var stored [][]byte
			for rows.Next() {
				var h []byte
				if err := rows.Scan(&h); err != nil {
					t.Fatal(err)
				}
				stored = append(stored, h)
			}
			rows.Close()
			if len(stored) == 0 {
				t.Fatalf("no rows in %s", table)
			}
			for _, h := range stored {
				if len(h) != 32 {
					t.Fatalf("%s stores %d bytes, want a 32-byte SHA-256", table, len(h))
				}
				for _, cand := range []string{string(h), hex.EncodeToString(h), b64.EncodeToString(h)} {
					if r := refresh(t, k, cand); r.Status != 401 && r.Status != 400 {
						t.Fatalf("a stored %s value refreshed: %d", table, r.Status)
					}
					if r := native(t, k, "POST", "/v1/password-resets/complete", "", map[string]string{"token": cand, "password": "a brand new secret"}); r.Status != 400 {
						t.Fatalf("a stored %s value reset a password: %d %s", table, r.Status, r.Body)
					}
				}
			}
		}
		// The plaintext tokens appear nowhere in the events either.
		if n := count(t, db, "SELECT count(*) FROM events WHERE CAST(data AS TEXT) LIKE '%"+c.Refresh[:16]+"%'"); n != 0 {
			t.Fatal("a refresh token is in the outbox")
		}
		wantProblem(t, me(t, k, c.Refresh), 401, "")
		other := k.NewShop("Other")
		res := do(t, k, "POST", "/v1/auth/refresh", map[string]string{"refresh_token": c.Refresh}, map[string]string{"X-Publishable-Key": other.PublishableKey})
		wantProblem(t, res, 401, "")
		want(t, refresh(t, k, c.Refresh), 200)
	})
}
