package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

func sfccBindingFixture(shopID string) *core.SFCCBinding {
	n := seq.Add(1)
	return &core.SFCCBinding{
		ShopID:         shopID,
		OrganizationID: fmt.Sprintf("f_ecom_t%03d_%03d", n%1000, n%997),
		SiteIDs:        []string{"RefArch", "RefArchGlobal"},
		Clients: []core.SFCCClient{
			{ClientID: newID("cli_"), RedirectURIs: []string{"https://shop.example/callback"}, CallbackURIs: []string{"https://shop.example/reset-hook"}},
			{ClientID: newID("cli_"), RedirectURIs: []string{}, CallbackURIs: []string{}},
		},
		CreatedAt: at(0),
		UpdatedAt: at(time.Hour),
	}
}

func newSFCCBinding(t *testing.T, s core.Store, shopID string) *core.SFCCBinding {
	t.Helper()
	b := sfccBindingFixture(shopID)
	must(t, s.PutSFCCBinding(t.Context(), b))
	return b
}

func newSFCCShopper(t *testing.T, s core.Store, shopID string) *core.SFCCShopper {
	t.Helper()
	sp := &core.SFCCShopper{USID: newID("usid-"), ShopID: shopID, GuestID: newID("gst_"), CreatedAt: at(0)}
	must(t, s.CreateSFCCShopper(t.Context(), sp))
	return sp
}

func sfccCodeFixture(shopID, usid, customerID string) *core.SFCCAuthCode {
	return &core.SFCCAuthCode{
		ID: newID("sac_"), ShopID: shopID, Hash: newHash(), ClientID: "client-1", RedirectURI: "http://localhost:3000/callback",
		ChannelID: "RefArch", USID: usid, CustomerID: customerID, Challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
		CreatedAt: at(0), ExpiresAt: at(time.Minute),
	}
}

func newSFCCSession(t *testing.T, s core.Store, shopID, sessionID string) *core.SFCCSession {
	t.Helper()
	b := &core.SFCCSession{SessionID: sessionID, ShopID: shopID, ClientID: "client-1", ChannelID: "RefArch", USID: newID("usid-"), DNT: "true", CreatedAt: at(0)}
	must(t, s.CreateSFCCSession(t.Context(), b))
	return b
}

// sfccCases returns the cases of the SFCC dialect's tables.
func sfccCases() []methodCases {
	return []methodCases{
		{"PutSFCCBinding", []testCase{
			{"round_trip_and_replace", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				b := newSFCCBinding(t, s, sh.ID)
				got, err := s.GetSFCCBinding(t.Context(), sh.ID)
				must(t, err)
				wantEqual(t, got, b)
				b2 := sfccBindingFixture(sh.ID)
				b2.CreatedAt, b2.Clients = b.CreatedAt, b2.Clients[:1]
				must(t, s.PutSFCCBinding(t.Context(), b2))
				got, err = s.GetSFCCBinding(t.Context(), sh.ID)
				must(t, err)
				wantEqual(t, got, b2)
			}},
			{"org_of_another_store", func(t *testing.T, s core.Store) {
				b := newSFCCBinding(t, s, newShop(t, s).ID)
				other := sfccBindingFixture(newShop(t, s).ID)
				other.OrganizationID = b.OrganizationID
				wantErr(t, s.InTx(t.Context(), func(tx core.Store) error { return tx.PutSFCCBinding(t.Context(), other) }), core.ErrConflict)
			}},
			{"client_of_another_store", func(t *testing.T, s core.Store) {
				b := newSFCCBinding(t, s, newShop(t, s).ID)
				other := sfccBindingFixture(newShop(t, s).ID)
				other.Clients[0].ClientID = b.Clients[1].ClientID
				wantErr(t, s.InTx(t.Context(), func(tx core.Store) error { return tx.PutSFCCBinding(t.Context(), other) }), core.ErrConflict)
			}},
		}},
		{"GetSFCCBinding", []testCase{
			{"missing", func(t *testing.T, s core.Store) {
				_, err := s.GetSFCCBinding(t.Context(), newShop(t, s).ID)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				newSFCCBinding(t, s, newShop(t, s).ID)
				_, err := s.GetSFCCBinding(t.Context(), newShop(t, s).ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"GetSFCCBindingByOrg", []testCase{
			{"found", func(t *testing.T, s core.Store) {
				b := newSFCCBinding(t, s, newShop(t, s).ID)
				got, err := s.GetSFCCBindingByOrg(t.Context(), b.OrganizationID)
				must(t, err)
				wantEqual(t, got, b)
			}},
			{"unknown", func(t *testing.T, s core.Store) {
				_, err := s.GetSFCCBindingByOrg(t.Context(), "f_ecom_none_000")
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"DeleteSFCCBinding", []testCase{
			{"deletes_with_clients", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				b := newSFCCBinding(t, s, sh.ID)
				must(t, s.DeleteSFCCBinding(t.Context(), sh.ID))
				_, err := s.GetSFCCBinding(t.Context(), sh.ID)
				wantErr(t, err, core.ErrNotFound)
				// Its client ids are free again.
				again := sfccBindingFixture(newShop(t, s).ID)
				again.Clients[0].ClientID = b.Clients[0].ClientID
				must(t, s.PutSFCCBinding(t.Context(), again))
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				newSFCCBinding(t, s, newShop(t, s).ID)
				wantErr(t, s.DeleteSFCCBinding(t.Context(), newShop(t, s).ID), core.ErrNotFound)
			}},
		}},
		{"CreateSFCCShopper", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				sp := newSFCCShopper(t, s, sh.ID)
				got, err := s.GetSFCCShopper(t.Context(), sh.ID, sp.USID)
				must(t, err)
				wantEqual(t, got, sp)
			}},
			{"duplicate_usid", func(t *testing.T, s core.Store) {
				sp := newSFCCShopper(t, s, newShop(t, s).ID)
				dup := *sp
				dup.ShopID = newShop(t, s).ID
				wantErr(t, s.CreateSFCCShopper(t.Context(), &dup), core.ErrConflict)
			}},
		}},
		{"GetSFCCShopper", []testCase{
			{"on_another_store", func(t *testing.T, s core.Store) {
				sp := newSFCCShopper(t, s, newShop(t, s).ID)
				_, err := s.GetSFCCShopper(t.Context(), newShop(t, s).ID, sp.USID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"CreateSFCCAuthCode", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				code := sfccCodeFixture(sh.ID, "usid-1", c.ID)
				must(t, s.CreateSFCCAuthCode(t.Context(), code))
				got, err := s.GetSFCCAuthCodeByHash(t.Context(), code.Hash)
				must(t, err)
				wantEqual(t, got, code)
			}},
			{"duplicate_hash", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				code := sfccCodeFixture(sh.ID, "usid-1", "")
				must(t, s.CreateSFCCAuthCode(t.Context(), code))
				dup := sfccCodeFixture(sh.ID, "usid-1", "")
				dup.Hash = code.Hash
				wantErr(t, s.CreateSFCCAuthCode(t.Context(), dup), core.ErrConflict)
			}},
		}},
		{"GetSFCCAuthCodeByHash", []testCase{
			{"unknown", func(t *testing.T, s core.Store) {
				_, err := s.GetSFCCAuthCodeByHash(t.Context(), newHash())
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"UseSFCCAuthCode", []testCase{
			{"once", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				code := sfccCodeFixture(sh.ID, "usid-1", "")
				must(t, s.CreateSFCCAuthCode(t.Context(), code))
				errs := concurrently(4, func(int) error { return s.UseSFCCAuthCode(t.Context(), code.ID, "ses_x", at(time.Second)) })
				oneWinner(t, errs, core.ErrConflict)
				got, err := s.GetSFCCAuthCodeByHash(t.Context(), code.Hash)
				must(t, err)
				wantEqual(t, got.UsedAt, ptr(at(time.Second)))
				wantEqual(t, got.SessionID, "ses_x")
			}},
			{"unknown", func(t *testing.T, s core.Store) {
				wantErr(t, s.UseSFCCAuthCode(t.Context(), newID("sac_"), "ses_x", at(0)), core.ErrNotFound)
			}},
		}},
		{"CreateSFCCSession", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				sess := newSession(t, s, sh.ID, c.ID)
				b := newSFCCSession(t, s, sh.ID, sess.ID)
				got, err := s.GetSFCCSession(t.Context(), sh.ID, sess.ID)
				must(t, err)
				wantEqual(t, got, b)
			}},
			{"unknown_session", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				b := &core.SFCCSession{SessionID: newID("ses_"), ShopID: sh.ID, ClientID: "c", ChannelID: "RefArch", USID: "u", CreatedAt: at(0)}
				wantErr(t, s.CreateSFCCSession(t.Context(), b), core.ErrNotFound)
			}},
			{"removed_with_customer", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				sess := newSession(t, s, sh.ID, c.ID)
				newSFCCSession(t, s, sh.ID, sess.ID)
				must(t, s.DeleteCustomer(t.Context(), sh.ID, c.ID))
				_, err := s.GetSFCCSession(t.Context(), sh.ID, sess.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"GetSFCCSession", []testCase{
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				sess := newSession(t, s, sh.ID, c.ID)
				newSFCCSession(t, s, sh.ID, sess.ID)
				_, err := s.GetSFCCSession(t.Context(), newShop(t, s).ID, sess.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
	}
}
