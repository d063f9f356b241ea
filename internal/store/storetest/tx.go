package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/clientele/clientele/internal/core"
)

// wantNoCustomer fails unless the customer was not stored.
func wantNoCustomer(t *testing.T, s core.Store, c *core.Customer) {
	t.Helper()
	_, err := s.GetCustomer(t.Context(), c.ShopID, c.ID)
	wantErr(t, err, core.ErrNotFound)
}

// wantCustomer fails unless the stored customer equals want.
func wantCustomer(t *testing.T, s core.Store, want *core.Customer) {
	t.Helper()
	got, err := s.GetCustomer(t.Context(), want.ShopID, want.ID)
	must(t, err)
	wantEqual(t, got, want)
}

// customerFor returns an unsaved customer of shopID with a unique e-mail.
func customerFor(shopID string) *core.Customer {
	typed, _ := newEmail()
	return customerFixture(shopID, typed)
}

func txCases() []methodCases {
	boom := errors.New("boom")
	return []methodCases{
		{"InTx", []testCase{
			{"commits", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				c := customerFor(sh.ID)
				must(t, s.InTx(t.Context(), func(tx core.Store) error {
					return tx.CreateCustomer(t.Context(), c)
				}))
				wantCustomer(t, s, c)
			}},
			{"reads_own_writes", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				c := customerFor(sh.ID)
				must(t, s.InTx(t.Context(), func(tx core.Store) error {
					if err := tx.CreateCustomer(t.Context(), c); err != nil {
						return err
					}
					got, err := tx.GetCustomerByEmail(t.Context(), sh.ID, c.EmailNormalized)
					if err != nil {
						return err
					}
					if got.ID != c.ID {
						return fmt.Errorf("read %s inside the transaction, want %s", got.ID, c.ID)
					}
					return nil
				}))
			}},
			{"rolls_back_on_error", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				c := customerFor(sh.ID)
				err := s.InTx(t.Context(), func(tx core.Store) error {
					if err := tx.CreateCustomer(t.Context(), c); err != nil {
						return err
					}
					return boom
				})
				// Unchanged: the very error fn returned, not a wrapper.
				if err != boom { // identity, not errors.Is: fn's error unchanged
					t.Fatalf("InTx returned %v, want fn's error itself", err)
				}
				wantNoCustomer(t, s, c)
			}},
			{"error_kind_survives", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				err := s.InTx(t.Context(), func(tx core.Store) error {
					return fmt.Errorf("refresh: %w", core.ErrUnauthenticated)
				})
				wantErr(t, err, core.ErrUnauthenticated)
				// A store error inside the transaction keeps its kind too,
				// and the writes before it are undone.
				first := newCustomer(t, s, sh.ID, "taken@example.com")
				c := customerFor(sh.ID)
				err = s.InTx(t.Context(), func(tx core.Store) error {
					if err := tx.CreateCustomer(t.Context(), c); err != nil {
						return err
					}
					return tx.CreateCustomer(t.Context(), customerFixture(sh.ID, first.Email))
				})
				wantErr(t, err, core.ErrConflict)
				wantNoCustomer(t, s, c)
			}},
			{"commits_after_failed_statement", func(t *testing.T, s core.Store) {
				// fn may handle a store error and carry on (as the refresh
				// flow does on a conflict); the rest of the work commits.
				sh := newShop(t, s)
				first := newCustomer(t, s, sh.ID, "taken@example.com")
				c := customerFor(sh.ID)
				must(t, s.InTx(t.Context(), func(tx core.Store) error {
					err := tx.CreateCustomer(t.Context(), customerFixture(sh.ID, first.Email))
					if !errors.Is(err, core.ErrConflict) {
						return fmt.Errorf("duplicate insert: got %v, want conflict", err)
					}
					return tx.CreateCustomer(t.Context(), c)
				}))
				wantCustomer(t, s, c)
			}},
			{"nested_joins", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				outer, inner := customerFor(sh.ID), customerFor(sh.ID)
				// The inner call succeeds, the outer fails: both roll back,
				// because there is only one transaction.
				err := s.InTx(t.Context(), func(tx core.Store) error {
					if err := tx.CreateCustomer(t.Context(), outer); err != nil {
						return err
					}
					if err := tx.InTx(t.Context(), func(tx2 core.Store) error {
						// The inner Store sees the outer write.
						if _, err := tx2.GetCustomer(t.Context(), sh.ID, outer.ID); err != nil {
							return err
						}
						return tx2.CreateCustomer(t.Context(), inner)
					}); err != nil {
						return err
					}
					return boom
				})
				wantErr(t, err, boom)
				wantNoCustomer(t, s, outer)
				wantNoCustomer(t, s, inner)
				// And both commit together.
				must(t, s.InTx(t.Context(), func(tx core.Store) error {
					if err := tx.CreateCustomer(t.Context(), outer); err != nil {
						return err
					}
					return tx.InTx(t.Context(), func(tx2 core.Store) error {
						return tx2.CreateCustomer(t.Context(), inner)
					})
				}))
				wantCustomer(t, s, outer)
				wantCustomer(t, s, inner)
			}},
			{"nested_error_propagates", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				outer := customerFor(sh.ID)
				err := s.InTx(t.Context(), func(tx core.Store) error {
					if err := tx.CreateCustomer(t.Context(), outer); err != nil {
						return err
					}
					return tx.InTx(t.Context(), func(core.Store) error { return boom })
				})
				if err != boom { // identity, not errors.Is: fn's error unchanged
					t.Fatalf("InTx returned %v, want the inner error itself", err)
				}
				wantNoCustomer(t, s, outer)
			}},
			{"rolls_back_on_panic", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				c := customerFor(sh.ID)
				func() {
					defer func() {
						if r := recover(); r != "bug" {
							t.Fatalf("recovered %v, want the panic to pass through", r)
						}
					}()
					_ = s.InTx(t.Context(), func(tx core.Store) error {
						if err := tx.CreateCustomer(t.Context(), c); err != nil {
							return err
						}
						panic("bug")
					})
				}()
				wantNoCustomer(t, s, c)
				// The store is usable afterwards: a panic must not leave a
				// transaction holding a connection or lock.
				later := customerFor(sh.ID)
				must(t, s.InTx(t.Context(), func(tx core.Store) error {
					return tx.CreateCustomer(t.Context(), later)
				}))
				wantCustomer(t, s, later)
			}},
			{"canceled_context", func(t *testing.T, s core.Store) {
				sh := newShop(t, s)
				c := customerFor(sh.ID)
				ctx, cancel := context.WithCancel(t.Context())
				err := s.InTx(ctx, func(tx core.Store) error {
					if err := tx.CreateCustomer(ctx, c); err != nil {
						return err
					}
					cancel()
					return nil
				})
				if err == nil {
					t.Fatal("InTx committed after its context was canceled")
				}
				wantNoCustomer(t, s, c)
			}},
		}},
	}
}

func dbCases() []methodCases {
	return []methodCases{
		{"Ping", []testCase{
			{"answers", func(t *testing.T, s core.Store) {
				must(t, s.Ping(t.Context()))
				must(t, s.InTx(t.Context(), func(tx core.Store) error {
					return tx.Ping(t.Context())
				}))
			}},
		}},
		{"Close", []testCase{
			{"then_ping_fails", func(t *testing.T, s core.Store) {
				must(t, s.Close())
				if err := s.Ping(t.Context()); err == nil {
					t.Fatal("Ping after Close succeeded")
				}
			}},
		}},
	}
}
