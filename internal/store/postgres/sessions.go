package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/clientele/clientele/internal/core"
)

const sessionColumns = `id, shop_id, customer_id, created_at, last_used_at, expires_at,
	revoked_at, revoke_reason, user_agent, ip, guest_id`

// CreateSession inserts s. A customer that does not exist in s.ShopID is
// core.ErrNotFound (the composite foreign key checks both); an empty
// CustomerID makes a guest session. GuestID, like CustomerID, is NULL when
// empty.
func (r repo) CreateSession(ctx context.Context, s *core.Session) error {
	_, err := r.checkedExec(ctx, `INSERT INTO sessions (`+sessionColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		s.ID, s.ShopID, nullString(s.CustomerID), s.CreatedAt, s.LastUsedAt, s.ExpiresAt,
		s.RevokedAt, s.RevokeReason, s.UserAgent, s.IP, nullString(s.GuestID))
	if err != nil {
		return fmt.Errorf("postgres: create session: %w", translate(err))
	}
	return nil
}

// GetSession returns the shop's session id, revoked or not.
func (r repo) GetSession(ctx context.Context, shopID, id string) (*core.Session, error) {
	s, err := scanSession(r.q.QueryRow(ctx,
		`SELECT `+sessionColumns+` FROM sessions WHERE shop_id = $1 AND id = $2`, shopID, id))
	if err != nil {
		return nil, fmt.Errorf("postgres: get session: %w", err)
	}
	return s, nil
}

// ListSessions returns the customer's unrevoked sessions, newest first.
// Expired ones are included: expiry depends on the shop's idle TTL, which is
// core's to apply.
func (r repo) ListSessions(ctx context.Context, shopID, customerID string) ([]core.Session, error) {
	rows, err := r.q.Query(ctx, `SELECT `+sessionColumns+` FROM sessions
		WHERE shop_id = $1 AND customer_id = $2 AND revoked_at IS NULL
		ORDER BY created_at DESC, id DESC`, shopID, customerID)
	if err != nil {
		return nil, fmt.Errorf("postgres: list sessions: %w", translate(err))
	}
	defer rows.Close()
	var out []core.Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list sessions: %w", err)
		}
		out = append(out, *s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list sessions: %w", translate(err))
	}
	return out, nil
}

// TouchSession records that the session was used at at, which pushes back
// its idle expiry.
func (r repo) TouchSession(ctx context.Context, shopID, id string, at time.Time) error {
	return execOne(ctx, r.q, "touch session",
		`UPDATE sessions SET last_used_at = $1 WHERE shop_id = $2 AND id = $3`, at, shopID, id)
}

// RevokeSession revokes one session. Revoking it again changes nothing, so
// the first time and reason stay (they are what the deny-list and the
// audit trail already saw).
func (r repo) RevokeSession(ctx context.Context, shopID, id string, at time.Time, reason string) error {
	tag, err := r.q.Exec(ctx, `UPDATE sessions SET revoked_at = $1, revoke_reason = $2
		WHERE shop_id = $3 AND id = $4 AND revoked_at IS NULL`, at, reason, shopID, id)
	if err != nil {
		return fmt.Errorf("postgres: revoke session: %w", translate(err))
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	// Nothing changed: either already revoked (fine) or not this shop's.
	ok, err := exists(ctx, r.q, `SELECT 1 FROM sessions WHERE shop_id = $1 AND id = $2`, shopID, id)
	if err != nil {
		return fmt.Errorf("postgres: revoke session: %w", err)
	}
	if !ok {
		return fmt.Errorf("postgres: revoke session: %w", core.ErrNotFound)
	}
	return nil
}

// RevokeCustomerSessions revokes the customer's live sessions except exceptID
// in one statement, and returns the revoked ids sorted (byte order, as the
// SQLite backend does), so the caller can publish exactly those to the
// deny-list.
func (r repo) RevokeCustomerSessions(ctx context.Context, shopID, customerID, exceptID string, at time.Time, reason string) ([]string, error) {
	rows, err := r.q.Query(ctx, `UPDATE sessions SET revoked_at = $1, revoke_reason = $2
		WHERE shop_id = $3 AND customer_id = $4 AND revoked_at IS NULL AND id <> $5
		RETURNING id`, at, reason, shopID, customerID, exceptID)
	if err != nil {
		return nil, fmt.Errorf("postgres: revoke customer sessions: %w", translate(err))
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: revoke customer sessions: %w", translate(err))
	}
	if len(ids) == 0 {
		return nil, nil // like SQLite: nil, not an empty slice
	}
	slices.Sort(ids)
	return ids, nil
}

// RevokedSince lists revocations at or after since across all shops, oldest
// first, for the nodes' deny-lists (the revoked_at index keeps it cheap).
func (r repo) RevokedSince(ctx context.Context, since time.Time) ([]core.Revocation, error) {
	rows, err := r.q.Query(ctx, `SELECT id, revoked_at FROM sessions
		WHERE revoked_at >= $1 ORDER BY revoked_at, id`, since)
	if err != nil {
		return nil, fmt.Errorf("postgres: revoked since: %w", translate(err))
	}
	defer rows.Close()
	var out []core.Revocation
	for rows.Next() {
		var rev core.Revocation
		if err := rows.Scan(&rev.SessionID, &rev.RevokedAt); err != nil {
			return nil, fmt.Errorf("postgres: revoked since: %w", translate(err))
		}
		rev.RevokedAt = utc(rev.RevokedAt)
		out = append(out, rev)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: revoked since: %w", translate(err))
	}
	return out, nil
}

func scanSession(row pgx.Row) (*core.Session, error) {
	var (
		s               core.Session
		customer, guest *string
		revoked         *time.Time
	)
	err := row.Scan(&s.ID, &s.ShopID, &customer, &s.CreatedAt, &s.LastUsedAt, &s.ExpiresAt,
		&revoked, &s.RevokeReason, &s.UserAgent, &s.IP, &guest)
	if err != nil {
		return nil, translate(err)
	}
	if customer != nil {
		s.CustomerID = *customer
	}
	if guest != nil {
		s.GuestID = *guest
	}
	s.CreatedAt, s.LastUsedAt, s.ExpiresAt = utc(s.CreatedAt), utc(s.LastUsedAt), utc(s.ExpiresAt)
	s.RevokedAt = utcPtr(revoked)
	return &s, nil
}
