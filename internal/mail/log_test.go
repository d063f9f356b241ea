package mail_test

import (
	"strings"
	"testing"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/mail"
)

func TestLogNeverPrintsBodyOrFullAddress(t *testing.T) {
	for _, tc := range []struct{ to, want string }{
		{"jane.doe@example.com", "to=j***@example.com"},
		{"Zoë@example.fr", "to=Z***@example.fr"},
		{"émile@example.fr", "to=é***@example.fr"},
		{"not-an-address", "to=***"},
		{"@example.com", "to=***@example.com"},
	} {
		t.Run("to="+tc.to, func(t *testing.T) {
			logger, buf := newLogger()
			m := core.Message{To: tc.to, Subject: "Reset", Text: "go to " + resetLink, Kind: "password_reset"}
			if err := mail.NewLog(logger).Send(testCtx(t), m); err != nil {
				t.Fatalf("Send: %v", err)
			}
			out := buf.String()
			for _, want := range []string{"mail sent", "kind=password_reset", tc.want} {
				if !strings.Contains(out, want) {
					t.Errorf("log lacks %q:\n%s", want, out)
				}
			}
			local, _, _ := strings.Cut(tc.to, "@")
			for _, leak := range []string{"abc_DEF-123", "token", "reset-password", local} {
				if len(leak) > 1 && strings.Contains(out, leak) {
					t.Errorf("log leaks %q:\n%s", leak, out)
				}
			}
		})
	}
}
