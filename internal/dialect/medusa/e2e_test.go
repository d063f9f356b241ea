package medusa_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/mail"
	"github.com/clientele/clientele/internal/testkit"
)

// TestSDK drives the real @medusajs/js-sdk and @medusajs/medusa-js against
// the dialects.
func TestSDK(t *testing.T) {
	k := testkit.New(t)
	box := httptest.NewServer(resetTokens(k.Mail))
	t.Cleanup(box.Close)
	testkit.NodeE2E(t, "../../../e2e/medusa", map[string]string{
		"CLIENTELE_URL": k.Server.URL, "CLIENTELE_PK": k.PK, "CLIENTELE_SK": k.SK, "CLIENTELE_MAILBOX": box.URL,
	})
}

// resetTokens answers GET /?to=<e-mail> with the token of the newest
// password-reset mail to that address, as a shopper would copy it from the
// link; it waits up to 10 s for the mail (sent from a background queue),
// then answers 404.
func resetTokens(rec *mail.Recorder) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		to := strings.ToLower(r.URL.Query().Get("to"))
		ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
		defer cancel()
		for {
			msgs := rec.Messages()
			for i := len(msgs) - 1; i >= 0; i-- {
				if strings.ToLower(msgs[i].To) != to {
					continue
				}
				if m := tokenRe.FindStringSubmatch(msgs[i].Text); m != nil {
					_, _ = w.Write([]byte(m[1]))
					return
				}
			}
			if _, err := rec.Wait(ctx, len(msgs)+1); err != nil {
				http.NotFound(w, r)
				return
			}
		}
	})
}
