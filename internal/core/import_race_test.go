package core_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/auth/password"
	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/store/sqlite"
)

// racingStore registers a customer with the e-mail of an import record
// between the batch's match and its write, once: the sign-up wins the race.
type racingStore struct {
	core.Store
	email string
	raced *bool
}

func (s racingStore) InTx(ctx context.Context, fn func(tx core.Store) error) error {
	return s.Store.InTx(ctx, func(tx core.Store) error { return fn(racingStore{tx, s.email, s.raced}) })
}

func (s racingStore) FindImportMatches(ctx context.Context, shopID string, ids, emails []string) ([]core.ImportMatch, error) {
	m, err := s.Store.FindImportMatches(ctx, shopID, ids, emails)
	if err == nil && !*s.raced {
		*s.raced = true
		now := time.Now().UTC().Truncate(time.Microsecond)
		err = s.CreateCustomer(ctx, &core.Customer{ID: "cus_01RACE", ShopID: shopID, Email: s.email, EmailNormalized: s.email,
			Status: core.StatusActive, CreatedAt: now, UpdatedAt: now})
	}
	return m, err
}

type stubSigner struct{}

func (stubSigner) Sign(core.AccessClaims) (string, error) { return "", errors.New("unused") }
func (stubSigner) Verify(string, time.Time) (core.AccessClaims, error) {
	return core.AccessClaims{}, errors.New("unused")
}
func (stubSigner) VerifyShaped(string, time.Time, string, string) (core.AccessClaims, error) {
	return core.AccessClaims{}, errors.New("unused")
}

type stubMailer struct{}

func (stubMailer) Send(context.Context, core.Message) error { return nil }

type stubLimiter struct{}

func (stubLimiter) Take(context.Context, string, core.Rate) (bool, time.Duration, error) {
	return true, 0, nil
}
func (stubLimiter) Peek(context.Context, string, core.Rate) (bool, time.Duration, error) {
	return true, 0, nil
}
func (stubLimiter) Reset(context.Context, string) error { return nil }

// A batch whose write loses a race (a customer with a record's e-mail
// appears between the match and the write: ErrConflict) is redone in a
// new transaction instead of failing the import. Here the racing row is
// rolled back with the first attempt, so the redo creates both records.
func TestImportRetriesALostRace(t *testing.T) {
	ctx := t.Context()
	st, err := sqlite.OpenAndMigrate(ctx, filepath.Join(t.TempDir(), "race.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	raced := false
	rs := racingStore{st, "racer@example.com", &raced}
	svc, err := core.New(ctx, core.DefaultConfig(), core.Deps{Store: rs, Hasher: password.New(password.TestParams()),
		Signer: stubSigner{}, Mailer: stubMailer{}, Limiter: stubLimiter{}})
	if err != nil {
		t.Fatal(err)
	}
	created, err := svc.CreateShop(ctx, core.NewShop{Name: "Race"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := svc.ImportCustomers(ctx, created.Shop, []core.ImportRecord{importRec(1, "r-1", "racer@example.com"), importRec(2, "r-2", "calm@example.com")}, core.ImportOptions{Source: "spree"})
	if err != nil {
		t.Fatal(err)
	}
	if !raced || outcomes(res) != "created created" {
		t.Fatalf("raced %v, outcomes %s", raced, outcomes(res))
	}
	c, err := svc.CustomerByExternalID(ctx, created.Shop.ID, "r-1")
	if err != nil || c.ID == "cus_01RACE" {
		t.Fatalf("after the redo: %+v %v", c, err)
	}
}
