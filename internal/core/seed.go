package core

import (
	"context"
	"errors"
	"fmt"
)

// SeedOptions describe a synthetic customer load (see [Service.SeedCustomers]).
type SeedOptions struct {
	// Count customers are made, numbered From, From+1, …
	Count, From int
	// EmailFormat is a fmt format with one %d verb for the number, e.g.
	// "seed-%d@example.com".
	EmailFormat string
	// Password is shared by every seeded customer (see SeedCustomers).
	Password string
	// Batch is how many customers go into one store call (and so one
	// transaction); 0 means 500.
	Batch int
	// Progress, when set, is called after each batch with the total so far.
	Progress func(done int)
}

// maxSeedBatch keeps one multi-row insert under both backends' bound on
// statement parameters (SQLite 32 766, PostgreSQL 65 535) at 20 columns.
const maxSeedBatch = 1000

// SeedCustomers loads synthetic, active, unverified customers into the
// shop for load and scale tests. It is for seeding only: the password is
// hashed ONCE with the service's hasher and that one hash (one salt) is
// stored for every customer, which makes a million rows take minutes rather
// than the hours a hash per row would (and which a real import must never
// do). Memory stays constant: each batch is built, written in its own
// transaction and dropped. A failure leaves the batches before it written;
// From lets a rerun continue after them.
func (s *Service) SeedCustomers(ctx context.Context, shopID string, o SeedOptions) (int, error) {
	if o.Batch == 0 {
		o.Batch = 500
	}
	switch {
	case o.Count < 1:
		return 0, errors.New("seed: count must be at least 1")
	case o.From < 0:
		return 0, errors.New("seed: from must not be negative")
	case o.Batch < 1 || o.Batch > maxSeedBatch:
		return 0, fmt.Errorf("seed: batch must be 1..%d", maxSeedBatch)
	case o.Password == "":
		return 0, errors.New("seed: password must not be empty")
	}
	if _, err := s.store.GetShop(ctx, shopID); err != nil {
		return 0, fmt.Errorf("seed: store %q: %w", shopID, err)
	}
	hash, err := s.hasher.Hash(o.Password)
	if err != nil {
		return 0, fmt.Errorf("seed: hash: %w", err)
	}
	batch := make([]*Customer, 0, o.Batch)
	done := 0
	for done < o.Count {
		batch = batch[:0]
		now := s.now()
		for len(batch) < o.Batch && done+len(batch) < o.Count {
			raw := fmt.Sprintf(o.EmailFormat, o.From+done+len(batch))
			norm, err := NormalizeEmail(raw)
			if err != nil {
				return done, fmt.Errorf("seed: e-mail %q: %w", raw, err)
			}
			batch = append(batch, &Customer{
				ID: s.newID("cus"), ShopID: shopID, Email: raw, EmailNormalized: norm,
				PasswordHash: hash, Status: StatusActive, PasswordChangedAt: &now,
				CreatedAt: now, UpdatedAt: now,
			})
		}
		if err := s.store.BulkCreateCustomers(ctx, batch); err != nil {
			return done, fmt.Errorf("seed: customers %d..%d: %w", o.From+done, o.From+done+len(batch)-1, err)
		}
		done += len(batch)
		if o.Progress != nil {
			o.Progress(done)
		}
	}
	return done, nil
}
