package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/clientele/clientele/internal/core"
)

const sessionColumns = `id, shop_id, customer_id, created_at, last_used_at, expires_at,
	revoked_at, revoke_reason, user_agent, ip, guest_id`

// CreateSession inserts s. A customer that does not exist in s.ShopID is
// core.ErrNotFound (the composite foreign key checks both); an empty
// CustomerID makes a guest session. GuestID, like CustomerID, is NULL when
// empty.
func (r repo) CreateSession(ctx context.Context, s *core.Session) error {
	_, err := r.w.ExecContext(ctx, `INSERT INTO sessions (`+sessionColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.ShopID, nullString(s.CustomerID), micros(s.CreatedAt), micros(s.LastUsedAt), micros(s.ExpiresAt),
		nullMicros(s.RevokedAt), s.RevokeReason, s.UserAgent, s.IP, nullString(s.GuestID))
	if err != nil {
		return fmt.Errorf("sqlite: create session: %w", translate(err))
	}
	return nil
}

// GetSession returns the shop's session id, revoked or not.
func (r repo) GetSession(ctx context.Context, shopID, id string) (*core.Session, error) {
	s, err := scanSession(r.r.QueryRowContext(ctx,
		`SELECT `+sessionColumns+` FROM sessions WHERE shop_id = ? AND id = ?`, shopID, id))
	if err != nil {
		return nil, fmt.Errorf("sqlite: get session: %w", err)
	}
	return s, nil
}

// ListSessions returns the customer's unrevoked sessions, newest first.
// Expired ones are included: expiry depends on the shop's idle TTL, which is
// core's to apply.
func (r repo) ListSessions(ctx context.Context, shopID, customerID string) ([]core.Session, error) {
	rows, err := r.r.QueryContext(ctx, `SELECT `+sessionColumns+` FROM sessions
		WHERE shop_id = ? AND customer_id = ? AND revoked_at IS NULL
		ORDER BY created_at DESC, id DESC`, shopID, customerID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list sessions: %w", translate(err))
	}
	defer rows.Close()
	var out []core.Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list sessions: %w", err)
		}
		out = append(out, *s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list sessions: %w", translate(err))
	}
	return out, nil
}

// TouchSession records that the session was used at at, which pushes back
// its idle expiry.
func (r repo) TouchSession(ctx context.Context, shopID, id string, at time.Time) error {
	return execOne(ctx, r.w, "touch session",
		`UPDATE sessions SET last_used_at = ? WHERE shop_id = ? AND id = ?`, micros(at), shopID, id)
}

// RevokeSession revokes one session. Revoking it again changes nothing, so
// the first time and reason stay (they are what the deny-list and the
// audit trail already saw).
func (r repo) RevokeSession(ctx context.Context, shopID, id string, at time.Time, reason string) error {
	res, err := r.w.ExecContext(ctx, `UPDATE sessions SET revoked_at = ?, revoke_reason = ?
		WHERE shop_id = ? AND id = ? AND revoked_at IS NULL`, micros(at), reason, shopID, id)
	if err != nil {
		return fmt.Errorf("sqlite: revoke session: %w", translate(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlite: revoke session: %w", translate(err))
	} else if n == 1 {
		return nil
	}
	// Nothing changed: either already revoked (fine) or not this shop's.
	ok, err := exists(ctx, r.w, `SELECT 1 FROM sessions WHERE shop_id = ? AND id = ?`, shopID, id)
	if err != nil {
		return fmt.Errorf("sqlite: revoke session: %w", err)
	}
	if !ok {
		return fmt.Errorf("sqlite: revoke session: %w", core.ErrNotFound)
	}
	return nil
}

// RevokeCustomerSessions revokes the customer's live sessions except exceptID
// in one statement, and returns the revoked ids sorted, so the caller can
// publish exactly those to the deny-list.
func (r repo) RevokeCustomerSessions(ctx context.Context, shopID, customerID, exceptID string, at time.Time, reason string) ([]string, error) {
	rows, err := r.w.QueryContext(ctx, `UPDATE sessions SET revoked_at = ?, revoke_reason = ?
		WHERE shop_id = ? AND customer_id = ? AND revoked_at IS NULL AND id <> ?
		RETURNING id`, micros(at), reason, shopID, customerID, exceptID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: revoke customer sessions: %w", translate(err))
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlite: revoke customer sessions: %w", translate(err))
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: revoke customer sessions: %w", translate(err))
	}
	slices.Sort(ids)
	return ids, nil
}

// RevokedSince lists revocations at or after since across all shops, oldest
// first, for the nodes' deny-lists (the revoked_at index keeps it cheap).
func (r repo) RevokedSince(ctx context.Context, since time.Time) ([]core.Revocation, error) {
	rows, err := r.r.QueryContext(ctx, `SELECT id, revoked_at FROM sessions
		WHERE revoked_at >= ? ORDER BY revoked_at, id`, micros(since))
	if err != nil {
		return nil, fmt.Errorf("sqlite: revoked since: %w", translate(err))
	}
	defer rows.Close()
	var out []core.Revocation
	for rows.Next() {
		var (
			rev core.Revocation
			at  int64
		)
		if err := rows.Scan(&rev.SessionID, &at); err != nil {
			return nil, fmt.Errorf("sqlite: revoked since: %w", translate(err))
		}
		rev.RevokedAt = fromMicros(at)
		out = append(out, rev)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: revoked since: %w", translate(err))
	}
	return out, nil
}

func scanSession(sc scanner) (*core.Session, error) {
	var (
		s                          core.Session
		customer, guest            sql.NullString
		created, lastUsed, expires int64
		revoked                    sql.NullInt64
	)
	err := sc.Scan(&s.ID, &s.ShopID, &customer, &created, &lastUsed, &expires,
		&revoked, &s.RevokeReason, &s.UserAgent, &s.IP, &guest)
	if err != nil {
		return nil, translate(err)
	}
	s.CustomerID, s.GuestID = customer.String, guest.String
	s.CreatedAt, s.LastUsedAt, s.ExpiresAt = fromMicros(created), fromMicros(lastUsed), fromMicros(expires)
	s.RevokedAt = fromNullMicros(revoked)
	return &s, nil
}
