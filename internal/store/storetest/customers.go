package storetest

import (
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
)

func customerCases() []methodCases {
	return []methodCases{
		{"CreateCustomer", []testCase{
			{"round_trip", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				typed, _ := newEmail()
				want := newCustomer(t, s, sh.ID, typed)
				got, err := s.GetCustomer(t.Context(), sh.ID, want.ID)
				must(t, err)
				wantEqual(t, got, want)
			}},
			{"minimal", func(t *testing.T, s core.Store) {
				// A passwordless, unverified customer with nothing optional
				// set: nil times and nil metadata stay nil.
				sh := newShop(t, s)
				typed, norm := newEmail()
				want := &core.Customer{
					ID:              newID("cus_"),
					ShopID:          sh.ID,
					Email:           typed,
					EmailNormalized: norm,
					Status:          core.StatusDisabled,
					CreatedAt:       at(0),
					UpdatedAt:       at(0),
				}
				must(t, s.CreateCustomer(t.Context(), want))
				got, err := s.GetCustomer(t.Context(), sh.ID, want.ID)
				must(t, err)
				wantEqual(t, got, want)
			}},
			{"empty_metadata", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				typed, _ := newEmail()
				want := customerFixture(sh.ID, typed)
				want.Metadata = map[string]any{}
				must(t, s.CreateCustomer(t.Context(), want))
				got, err := s.GetCustomer(t.Context(), sh.ID, want.ID)
				must(t, err)
				wantEqual(t, got, want)
			}},
			{"time_precision", func(t *testing.T, s core.Store) {
				// Times keep microseconds and come back in UTC, whatever
				// zone and precision they were written with.
				zone := time.FixedZone("UTC+5:30", 5*3600+1800)
				in := time.Date(2025, 3, 4, 5, 6, 7, 891234567, zone)
				sh := newShop(t, s)
				typed, _ := newEmail()
				c := customerFixture(sh.ID, typed)
				c.CreatedAt, c.UpdatedAt, c.EmailVerifiedAt = in, in, ptr(in)
				must(t, s.CreateCustomer(t.Context(), c))
				got, err := s.GetCustomer(t.Context(), sh.ID, c.ID)
				must(t, err)
				want := time.Date(2025, 3, 3, 23, 36, 7, 891234000, time.UTC)
				wantEqual(t, got.CreatedAt, want)
				wantEqual(t, got.UpdatedAt, want)
				wantEqual(t, got.EmailVerifiedAt, &want)
			}},
			{"duplicate_email", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				typed, norm := newEmail()
				first := newCustomer(t, s, sh.ID, typed)
				dup := customerFixture(sh.ID, "  "+typed) // spelt differently, same normalised form
				dup.EmailNormalized = norm
				wantErr(t, s.CreateCustomer(t.Context(), dup), core.ErrConflict)
				_, err := s.GetCustomer(t.Context(), sh.ID, dup.ID)
				wantErr(t, err, core.ErrNotFound)
				got, err := s.GetCustomerByEmail(t.Context(), sh.ID, norm)
				must(t, err)
				wantEqual(t, got, first)
			}},
			{"same_email_other_store", func(t *testing.T, s core.Store) {
				a, b := newShop(t, s), newShop(t, s)
				typed, norm := newEmail()
				ca := newCustomer(t, s, a.ID, typed)
				cb := newCustomer(t, s, b.ID, typed)
				got, err := s.GetCustomerByEmail(t.Context(), a.ID, norm)
				must(t, err)
				wantEqual(t, got, ca)
				got, err = s.GetCustomerByEmail(t.Context(), b.ID, norm)
				must(t, err)
				wantEqual(t, got, cb)
			}},
			{"duplicate_id", func(t *testing.T, s core.Store) {
				sh, first := newShopCustomer(t, s)
				typed, _ := newEmail()
				dup := customerFixture(sh.ID, typed)
				dup.ID = first.ID
				wantErr(t, s.CreateCustomer(t.Context(), dup), core.ErrConflict)
				got, err := s.GetCustomer(t.Context(), sh.ID, first.ID)
				must(t, err)
				wantEqual(t, got, first)
			}},
			{"unknown_shop", func(t *testing.T, s core.Store) {
				typed, _ := newEmail()
				c := customerFixture(newID("sto_"), typed)
				wantErr(t, s.CreateCustomer(t.Context(), c), core.ErrNotFound)
			}},
			{"concurrent_same_email", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				typed, norm := newEmail()
				cs := make([]*core.Customer, 10)
				for i := range cs {
					cs[i] = customerFixture(sh.ID, typed)
				}
				errs := concurrently(len(cs), func(i int) error {
					return s.CreateCustomer(t.Context(), cs[i])
				})
				w := oneWinner(t, errs, core.ErrConflict)
				got, err := s.GetCustomerByEmail(t.Context(), sh.ID, norm)
				must(t, err)
				wantEqual(t, got, cs[w])
			}},
		}},
		{"GetCustomer", []testCase{
			{"missing", func(t *testing.T, s core.Store) {
				sh, _ := newShopCustomer(t, s)
				_, err := s.GetCustomer(t.Context(), sh.ID, newID("cus_"))
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				_, c := newShopCustomer(t, s)
				other := newShop(t, s)
				_, err := s.GetCustomer(t.Context(), other.ID, c.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"GetCustomerByEmail", []testCase{
			{"found", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				newCustomer(t, s, sh.ID, "someone.else@example.com")
				got, err := s.GetCustomerByEmail(t.Context(), sh.ID, c.EmailNormalized)
				must(t, err)
				wantEqual(t, got, c)
			}},
			{"compares_normalized_only", func(t *testing.T, s core.Store) {
				// The store does not normalise: the typed spelling is not a key.
				sh, c := newShopCustomer(t, s)
				_, err := s.GetCustomerByEmail(t.Context(), sh.ID, c.Email)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"missing", func(t *testing.T, s core.Store) {
				sh, _ := newShopCustomer(t, s)
				_, err := s.GetCustomerByEmail(t.Context(), sh.ID, "nobody@example.com")
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				_, c := newShopCustomer(t, s)
				other := newShop(t, s)
				_, err := s.GetCustomerByEmail(t.Context(), other.ID, c.EmailNormalized)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"UpdateCustomer", []testCase{
			{"every_field", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				bystander := newCustomer(t, s, sh.ID, "bystander@example.com")
				want := *c
				want.Email, want.EmailNormalized = "Grace@Example.org", "grace@example.org"
				want.EmailVerifiedAt = ptr(at(10 * time.Hour))
				want.PasswordHash = "$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234"
				want.FirstName, want.LastName = "Grace", "Hopper"
				want.Phone, want.Gender, want.DateOfBirth = "+1 202 555 0100", "", "1906-12-09"
				want.AcceptsEmailMarketing = false
				want.Status = core.StatusDisabled
				want.Metadata = map[string]any{"rank": "rear admiral", "ships": []any{1.0, 2.0}}
				want.PasswordChangedAt = ptr(at(11 * time.Hour))
				want.CompanyName = "Remington Rand"
				want.UpdatedAt = at(12 * time.Hour)
				must(t, s.UpdateCustomer(t.Context(), &want))
				got, err := s.GetCustomer(t.Context(), sh.ID, c.ID)
				must(t, err)
				wantEqual(t, got, &want)
				// The new e-mail is the lookup key now; the old one is free.
				got, err = s.GetCustomerByEmail(t.Context(), sh.ID, "grace@example.org")
				must(t, err)
				wantEqual(t, got, &want)
				_, err = s.GetCustomerByEmail(t.Context(), sh.ID, c.EmailNormalized)
				wantErr(t, err, core.ErrNotFound)
				got, err = s.GetCustomer(t.Context(), sh.ID, bystander.ID)
				must(t, err)
				wantEqual(t, got, bystander)
			}},
			{"clear_optional", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				want := *c
				want.EmailVerifiedAt, want.PasswordChangedAt, want.Metadata = nil, nil, nil
				want.PasswordHash, want.FirstName, want.LastName = "", "", ""
				want.Phone, want.Gender, want.DateOfBirth = "", "", ""
				want.CompanyName = ""
				must(t, s.UpdateCustomer(t.Context(), &want))
				got, err := s.GetCustomer(t.Context(), sh.ID, c.ID)
				must(t, err)
				wantEqual(t, got, &want)
			}},
			{"default_addresses", func(t *testing.T, s core.Store) {
				// The default ids round-trip, move between addresses and
				// clear, each independently of the other.
				sh, c := newShopCustomer(t, s)
				home := newAddress(t, s, sh.ID, c.ID)
				work := newAddress(t, s, sh.ID, c.ID)
				want := *c
				want.DefaultBillingAddressID, want.DefaultShippingAddressID = home.ID, work.ID
				must(t, s.UpdateCustomer(t.Context(), &want))
				got, err := s.GetCustomer(t.Context(), sh.ID, c.ID)
				must(t, err)
				wantEqual(t, got, &want)
				want.DefaultBillingAddressID, want.DefaultShippingAddressID = work.ID, ""
				must(t, s.UpdateCustomer(t.Context(), &want))
				got, err = s.GetCustomerByEmail(t.Context(), sh.ID, c.EmailNormalized)
				must(t, err)
				wantEqual(t, got, &want)
			}},
			{"default_address_missing", func(t *testing.T, s core.Store) {
				// A default must name an existing address; the write is
				// refused whole.
				sh, c := newShopCustomer(t, s)
				upd := *c
				upd.FirstName, upd.DefaultBillingAddressID = "Changed", newID("addr_")
				wantErr(t, s.UpdateCustomer(t.Context(), &upd), core.ErrNotFound)
				got, err := s.GetCustomer(t.Context(), sh.ID, c.ID)
				must(t, err)
				wantEqual(t, got, c)
			}},
			{"created_at_fixed", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				upd := *c
				upd.CreatedAt = at(48 * time.Hour)
				must(t, s.UpdateCustomer(t.Context(), &upd))
				got, err := s.GetCustomer(t.Context(), sh.ID, c.ID)
				must(t, err)
				wantEqual(t, got.CreatedAt, c.CreatedAt)
			}},
			{"email_taken", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				other := newCustomer(t, s, sh.ID, "taken@example.com")
				upd := *c
				upd.Email, upd.EmailNormalized = other.Email, other.EmailNormalized
				upd.FirstName = "Changed"
				wantErr(t, s.UpdateCustomer(t.Context(), &upd), core.ErrConflict)
				got, err := s.GetCustomer(t.Context(), sh.ID, c.ID)
				must(t, err)
				wantEqual(t, got, c)
			}},
			{"missing", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				typed, _ := newEmail()
				c := customerFixture(sh.ID, typed)
				wantErr(t, s.UpdateCustomer(t.Context(), c), core.ErrNotFound)
				_, err := s.GetCustomer(t.Context(), sh.ID, c.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				other := newShop(t, s)
				upd := *c
				upd.ShopID, upd.FirstName = other.ID, "Hijacked"
				wantErr(t, s.UpdateCustomer(t.Context(), &upd), core.ErrNotFound)
				got, err := s.GetCustomer(t.Context(), sh.ID, c.ID)
				must(t, err)
				wantEqual(t, got, c)
				_, err = s.GetCustomer(t.Context(), other.ID, c.ID)
				wantErr(t, err, core.ErrNotFound)
			}},
		}},
		{"DeleteCustomer", []testCase{
			{"cascades", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				se := newSession(t, s, sh.ID, c.ID)
				rt := newRefreshToken(t, s, se.ID, "")
				pr := newPasswordReset(t, s, sh.ID, c.ID)
				// A second customer's rows must survive.
				keep := newCustomer(t, s, sh.ID, "keep@example.com")
				keepSe := newSession(t, s, sh.ID, keep.ID)
				keepRT := newRefreshToken(t, s, keepSe.ID, "")
				keepPR := newPasswordReset(t, s, sh.ID, keep.ID)

				must(t, s.DeleteCustomer(t.Context(), sh.ID, c.ID))
				_, err := s.GetCustomer(t.Context(), sh.ID, c.ID)
				wantErr(t, err, core.ErrNotFound)
				_, err = s.GetSession(t.Context(), sh.ID, se.ID)
				wantErr(t, err, core.ErrNotFound)
				_, err = s.GetRefreshTokenByHash(t.Context(), rt.Hash)
				wantErr(t, err, core.ErrNotFound)
				_, err = s.GetPasswordResetByHash(t.Context(), pr.Hash)
				wantErr(t, err, core.ErrNotFound)

				got, err := s.GetCustomer(t.Context(), sh.ID, keep.ID)
				must(t, err)
				wantEqual(t, got, keep)
				gotSe, err := s.GetSession(t.Context(), sh.ID, keepSe.ID)
				must(t, err)
				wantEqual(t, gotSe, keepSe)
				gotRT, err := s.GetRefreshTokenByHash(t.Context(), keepRT.Hash)
				must(t, err)
				wantEqual(t, gotRT, keepRT)
				gotPR, err := s.GetPasswordResetByHash(t.Context(), keepPR.Hash)
				must(t, err)
				wantEqual(t, gotPR, keepPR)
			}},
			{"cascades_to_addresses_and_groups", func(t *testing.T, s core.Store) {
				// Addresses (which the customer's defaults point at) and
				// memberships go with the customer; the groups stay.
				sh, c := newShopCustomer(t, s)
				a := newAddress(t, s, sh.ID, c.ID)
				g := newGroup(t, s, sh.ID)
				must(t, s.SetCustomerGroups(t.Context(), sh.ID, c.ID, []string{g.ID}))
				upd := *c
				upd.DefaultBillingAddressID, upd.DefaultShippingAddressID = a.ID, a.ID
				must(t, s.UpdateCustomer(t.Context(), &upd))
				must(t, s.DeleteCustomer(t.Context(), sh.ID, c.ID))
				_, err := s.GetAddress(t.Context(), sh.ID, c.ID, a.ID)
				wantErr(t, err, core.ErrNotFound)
				n, err := s.CountAddresses(t.Context(), sh.ID, c.ID)
				must(t, err)
				wantEqual(t, n, 0)
				members, err := s.CustomerGroups(t.Context(), sh.ID, c.ID)
				must(t, err)
				wantEqual(t, len(members), 0)
				got, err := s.GetGroup(t.Context(), sh.ID, g.ID)
				must(t, err)
				wantEqual(t, got, g)
			}},
			{"frees_email", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				must(t, s.DeleteCustomer(t.Context(), sh.ID, c.ID))
				again := customerFixture(sh.ID, c.Email)
				must(t, s.CreateCustomer(t.Context(), again))
			}},
			{"missing", func(t *testing.T, s core.Store) {
				sh, _ := newShopCustomer(t, s)
				wantErr(t, s.DeleteCustomer(t.Context(), sh.ID, newID("cus_")), core.ErrNotFound)
			}},
			{"on_another_store", func(t *testing.T, s core.Store) {
				sh, c := newShopCustomer(t, s)
				se := newSession(t, s, sh.ID, c.ID)
				other := newShop(t, s)
				wantErr(t, s.DeleteCustomer(t.Context(), other.ID, c.ID), core.ErrNotFound)
				got, err := s.GetCustomer(t.Context(), sh.ID, c.ID)
				must(t, err)
				wantEqual(t, got, c)
				gotSe, err := s.GetSession(t.Context(), sh.ID, se.ID)
				must(t, err)
				wantEqual(t, gotSe, se)
			}},
		}},
	}
}
