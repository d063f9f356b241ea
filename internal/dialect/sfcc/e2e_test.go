package sfcc_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/clientele/clientele/internal/testkit"
)

// TestSDK drives the real commerce-sdk-isomorphic (e2e/sfcc) against the
// whole stack. The kit's store is the only, so oldest, store: it answers
// the contract's dev organization, client and site ids. The suite reads
// reset mails through a small test-only endpoint over the kit's recorder.
func TestSDK(t *testing.T) {
	k := testkit.New(t)
	mail := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		out := []map[string]string{}
		for _, m := range k.Mail.Messages() {
			if (r.URL.Query().Get("to") == "" || m.To == r.URL.Query().Get("to")) &&
				(r.URL.Query().Get("kind") == "" || m.Kind == r.URL.Query().Get("kind")) {
				out = append(out, map[string]string{"to": m.To, "kind": m.Kind, "subject": m.Subject, "text": m.Text})
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(mail.Close)
	testkit.NodeE2E(t, "../../../e2e/sfcc", map[string]string{
		"CLIENTELE_URL": k.Server.URL, "CLIENTELE_SK": k.SK, "CLIENTELE_MAIL_URL": mail.URL,
	})
}
