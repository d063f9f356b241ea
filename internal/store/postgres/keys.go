package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/clientele/clientele/internal/core"
)

const signingKeyColumns = `id, algorithm, private, public, created_at, retired_at`

// CreateSigningKey inserts k; a taken id (kid) is core.ErrConflict.
func (r repo) CreateSigningKey(ctx context.Context, k *core.SigningKey) error {
	_, err := r.checkedExec(ctx, `INSERT INTO signing_keys (`+signingKeyColumns+`) VALUES ($1, $2, $3, $4, $5, $6)`,
		k.ID, k.Algorithm, k.Private, k.Public, k.CreatedAt, k.RetiredAt)
	if err != nil {
		return fmt.Errorf("postgres: create signing key: %w", translate(err))
	}
	return nil
}

// ListSigningKeys returns every key, retired or not, oldest first; the key
// ring needs retired keys to verify tokens they signed.
func (r repo) ListSigningKeys(ctx context.Context) ([]core.SigningKey, error) {
	rows, err := r.q.Query(ctx, `SELECT `+signingKeyColumns+` FROM signing_keys ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list signing keys: %w", translate(err))
	}
	defer rows.Close()
	var out []core.SigningKey
	for rows.Next() {
		var (
			k       core.SigningKey
			retired *time.Time
		)
		if err := rows.Scan(&k.ID, &k.Algorithm, &k.Private, &k.Public, &k.CreatedAt, &retired); err != nil {
			return nil, fmt.Errorf("postgres: list signing keys: %w", translate(err))
		}
		k.CreatedAt, k.RetiredAt = utc(k.CreatedAt), utcPtr(retired)
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list signing keys: %w", translate(err))
	}
	return out, nil
}

// RetireSigningKey records when a newer key took over. Retiring twice keeps
// the first time, which is when tokens stopped being signed with the key.
func (r repo) RetireSigningKey(ctx context.Context, id string, at time.Time) error {
	return execOne(ctx, r.q, "retire signing key",
		`UPDATE signing_keys SET retired_at = COALESCE(retired_at, $1) WHERE id = $2`, at, id)
}

// DeleteSigningKey removes a key once no unexpired token can carry its kid.
func (r repo) DeleteSigningKey(ctx context.Context, id string) error {
	return execOne(ctx, r.q, "delete signing key", `DELETE FROM signing_keys WHERE id = $1`, id)
}

// Secret returns the named secret, creating it with gen on first use. The
// insert ignores a name that exists and the value is then read back, so when
// nodes race the first committed value wins and every node returns it: an
// INSERT that meets another transaction's uncommitted row for the same name
// waits for it, and the SELECT after it (a new snapshot at READ COMMITTED)
// sees the winner.
func (r repo) Secret(ctx context.Context, name string, gen func() ([]byte, error)) ([]byte, error) {
	// Fast path: after the first call the secret exists and gen is not run.
	v, err := readSecret(ctx, r.q, name)
	if !errors.Is(err, core.ErrNotFound) {
		return v, err
	}
	nv, err := gen()
	if err != nil {
		return nil, fmt.Errorf("postgres: generate secret %q: %w", name, err)
	}
	if len(nv) == 0 {
		return nil, fmt.Errorf("postgres: generate secret %q: empty value", name)
	}
	if _, err := r.q.Exec(ctx, `INSERT INTO secrets (name, value) VALUES ($1, $2)
		ON CONFLICT (name) DO NOTHING`, name, nv); err != nil {
		return nil, fmt.Errorf("postgres: create secret %q: %w", name, translate(err))
	}
	return readSecret(ctx, r.q, name)
}

func readSecret(ctx context.Context, q querier, name string) ([]byte, error) {
	var v []byte
	if err := q.QueryRow(ctx, `SELECT value FROM secrets WHERE name = $1`, name).Scan(&v); err != nil {
		return nil, fmt.Errorf("postgres: read secret %q: %w", name, translate(err))
	}
	return v, nil
}
