package medusa_test

import (
	"testing"

	"github.com/clientele/clientele/internal/testkit"
)

// TestSDK drives the real @medusajs/js-sdk against the dialect.
func TestSDK(t *testing.T) {
	k := testkit.New(t)
	testkit.NodeE2E(t, "../../../e2e/medusa", map[string]string{"CLIENTELE_URL": k.Server.URL, "CLIENTELE_PK": k.PK, "CLIENTELE_SK": k.SK})
}
