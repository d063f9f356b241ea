package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/clientele/clientele/internal/core"
)

const signingKeyColumns = `id, algorithm, private, public, created_at, retired_at`

// CreateSigningKey inserts k; a taken id (kid) is core.ErrConflict.
func (r repo) CreateSigningKey(ctx context.Context, k *core.SigningKey) error {
	_, err := r.w.ExecContext(ctx, `INSERT INTO signing_keys (`+signingKeyColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
		k.ID, k.Algorithm, k.Private, k.Public, micros(k.CreatedAt), nullMicros(k.RetiredAt))
	if err != nil {
		return fmt.Errorf("sqlite: create signing key: %w", translate(err))
	}
	return nil
}

// ListSigningKeys returns every key, retired or not, oldest first; the key
// ring needs retired keys to verify tokens they signed.
func (r repo) ListSigningKeys(ctx context.Context) ([]core.SigningKey, error) {
	rows, err := r.r.QueryContext(ctx, `SELECT `+signingKeyColumns+` FROM signing_keys ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list signing keys: %w", translate(err))
	}
	defer rows.Close()
	var out []core.SigningKey
	for rows.Next() {
		var (
			k       core.SigningKey
			created int64
			retired sql.NullInt64
		)
		if err := rows.Scan(&k.ID, &k.Algorithm, &k.Private, &k.Public, &created, &retired); err != nil {
			return nil, fmt.Errorf("sqlite: list signing keys: %w", translate(err))
		}
		k.CreatedAt, k.RetiredAt = fromMicros(created), fromNullMicros(retired)
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list signing keys: %w", translate(err))
	}
	return out, nil
}

// RetireSigningKey records when a newer key took over. Retiring twice keeps
// the first time, which is when tokens stopped being signed with the key.
func (r repo) RetireSigningKey(ctx context.Context, id string, at time.Time) error {
	return execOne(ctx, r.w, "retire signing key",
		`UPDATE signing_keys SET retired_at = COALESCE(retired_at, ?) WHERE id = ?`, micros(at), id)
}

// DeleteSigningKey removes a key once no unexpired token can carry its kid.
func (r repo) DeleteSigningKey(ctx context.Context, id string) error {
	return execOne(ctx, r.w, "delete signing key", `DELETE FROM signing_keys WHERE id = ?`, id)
}

// Secret returns the named secret, creating it with gen on first use. The
// insert ignores a name that exists and the value is then read back, so when
// nodes race the first committed value wins and every node returns it.
func (r repo) Secret(ctx context.Context, name string, gen func() ([]byte, error)) ([]byte, error) {
	// Fast path: after the first call the secret exists and gen is not run.
	v, err := readSecret(ctx, r.r, name)
	if !errors.Is(err, core.ErrNotFound) {
		return v, err
	}
	nv, err := gen()
	if err != nil {
		return nil, fmt.Errorf("sqlite: generate secret %q: %w", name, err)
	}
	if len(nv) == 0 {
		return nil, fmt.Errorf("sqlite: generate secret %q: empty value", name)
	}
	if _, err := r.w.ExecContext(ctx, `INSERT INTO secrets (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO NOTHING`, name, nv); err != nil {
		return nil, fmt.Errorf("sqlite: create secret %q: %w", name, translate(err))
	}
	// Read back through the writer, which has seen the winning insert.
	return readSecret(ctx, r.w, name)
}

func readSecret(ctx context.Context, q querier, name string) ([]byte, error) {
	var v []byte
	if err := q.QueryRowContext(ctx, `SELECT value FROM secrets WHERE name = ?`, name).Scan(&v); err != nil {
		return nil, fmt.Errorf("sqlite: read secret %q: %w", name, translate(err))
	}
	return v, nil
}
