package storetest

import (
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

func newMailTemplate(t *testing.T, s core.Store, shopID, kind string) *core.MailTemplate {
	t.Helper()
	m := &core.MailTemplate{ShopID: shopID, Kind: kind, Subject: "Hi {{.ShopName}}", Text: "text " + kind,
		HTML: "<p>{{.Link}}</p>", UpdatedAt: at(time.Minute)}
	must(t, s.PutMailTemplate(t.Context(), m))
	return m
}

// mailTemplateCases returns the cases of stores' mail templates.
func mailTemplateCases() []methodCases {
	return []methodCases{
		{"PutMailTemplate", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				m := newMailTemplate(t, s, sh.ID, "password_reset")
				got, err := s.GetMailTemplate(t.Context(), sh.ID, "password_reset")
				must(t, err)
				wantEqual(t, got, m)
			}},
			{"replaces", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				newMailTemplate(t, s, sh.ID, "password_reset")
				m := &core.MailTemplate{ShopID: sh.ID, Kind: "password_reset", Text: "new", UpdatedAt: at(time.Hour)}
				must(t, s.PutMailTemplate(t.Context(), m))
				got, err := s.GetMailTemplate(t.Context(), sh.ID, "password_reset")
				must(t, err)
				wantEqual(t, got, m)
			}},
			{"unknown_shop", func(t *testing.T, s core.Store) {
				m := &core.MailTemplate{ShopID: newID("sto_"), Kind: "password_reset", Text: "x", UpdatedAt: at(0)}
				wantErr(t, s.PutMailTemplate(t.Context(), m), core.ErrNotFound)
			}},
		}},
		{"GetMailTemplate", []testCase{
			{"missing", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				_, err := s.GetMailTemplate(t.Context(), sh.ID, "password_reset")
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, other := newShop(t, s), newShop(t, s)
				newMailTemplate(t, s, sh.ID, "password_reset")
				_, err := s.GetMailTemplate(t.Context(), other.ID, "password_reset")
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"ListMailTemplates", []testCase{
			{"by_kind_own_store_only", func(t *testing.T, s core.Store) {
				sh, other := newShop(t, s), newShop(t, s)
				b := newMailTemplate(t, s, sh.ID, "password_reset")
				a := newMailTemplate(t, s, sh.ID, "email_verification")
				newMailTemplate(t, s, other.ID, "order_claim")
				got, err := s.ListMailTemplates(t.Context(), sh.ID)
				must(t, err)
				wantEqual(t, got, []core.MailTemplate{*a, *b})
			}},
			{"empty", func(t *testing.T, s core.Store) {
				got, err := s.ListMailTemplates(t.Context(), newShop(t, s).ID)
				must(t, err)
				wantEqual(t, got, []core.MailTemplate{})
			}},
		}},
		{"DeleteMailTemplate", []testCase{
			{"deletes", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				newMailTemplate(t, s, sh.ID, "password_reset")
				must(t, s.DeleteMailTemplate(t.Context(), sh.ID, "password_reset"))
				_, err := s.GetMailTemplate(t.Context(), sh.ID, "password_reset")
				wantErr(t, err, core.ErrNotFound)
				wantErr(t, s.DeleteMailTemplate(t.Context(), sh.ID, "password_reset"), core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, other := newShop(t, s), newShop(t, s)
				m := newMailTemplate(t, s, sh.ID, "password_reset")
				wantErr(t, s.DeleteMailTemplate(t.Context(), other.ID, "password_reset"), core.ErrNotFound)
				got, err := s.GetMailTemplate(t.Context(), sh.ID, "password_reset")
				must(t, err)
				wantEqual(t, got, m)
			}},
		}},
	}
}
