package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// The transaction Store offers core's one-statement rotation.
var _ core.RefreshRotator = (*txStore)(nil)

// rotateSQL is the whole rotation of a refresh token in one statement, one
// round trip instead of five (the lookup, the session read, the mark, the
// child insert under a savepoint, the touch). Both FOR UPDATE reads return
// the newest committed row even if it changed after the statement's
// snapshot was taken (READ COMMITTED re-checks a locked row), so a
// concurrent rotation or revocation is seen exactly as the step-by-step
// path sees it. Locks are taken token first, then session, the order of
// the step-by-step path. The writes run only when the token is unrotated
// and the session is the shop's; the data-modifying CTEs run whether or
// not the final SELECT reads them.
const rotateSQL = `WITH t AS (
	SELECT ` + refreshTokenColumns + ` FROM refresh_tokens WHERE hash = $1 FOR UPDATE
), s AS (
	SELECT sessions.id, sessions.shop_id, sessions.customer_id, sessions.created_at,
		sessions.last_used_at, sessions.expires_at, sessions.revoked_at, sessions.revoke_reason,
		sessions.user_agent, sessions.ip, sessions.guest_id FROM sessions JOIN t ON sessions.id = t.session_id
	WHERE sessions.shop_id = $2 FOR UPDATE OF sessions
), m AS (
	UPDATE refresh_tokens SET rotated_at = $3 FROM t, s
	WHERE refresh_tokens.id = t.id AND t.rotated_at IS NULL AND refresh_tokens.rotated_at IS NULL
	RETURNING refresh_tokens.id, refresh_tokens.session_id
), c AS (
	INSERT INTO refresh_tokens (` + refreshTokenColumns + `)
	SELECT $4, m.session_id, $5, m.id, $3, NULL FROM m
), u AS (
	UPDATE sessions SET last_used_at = $3 FROM m WHERE sessions.id = m.session_id
)
SELECT t.id, t.session_id, t.hash, t.parent_id, t.created_at, t.rotated_at,
	s.id, s.shop_id, s.customer_id, s.created_at, s.last_used_at, s.expires_at,
	s.revoked_at, s.revoke_reason, s.user_agent, s.ip, s.guest_id
FROM t, s, m`

// RotateRefreshTokenByHash implements [core.RefreshRotator] in one
// statement; it writes and returns a row only when it rotated, and is
// otherwise core.ErrNotFound with nothing written.
func (t *txStore) RotateRefreshTokenByHash(ctx context.Context, shopID string, hash []byte, child *core.RefreshToken, at time.Time) (*core.RefreshToken, *core.Session, error) {
	var (
		rt              core.RefreshToken
		s               core.Session
		parent          *string
		rotated         *time.Time
		customer, guest *string
		revoked         *time.Time
	)
	err := t.q.QueryRow(ctx, rotateSQL, hash, shopID, at, child.ID, child.Hash).Scan(
		&rt.ID, &rt.SessionID, &rt.Hash, &parent, &rt.CreatedAt, &rotated,
		&s.ID, &s.ShopID, &customer, &s.CreatedAt, &s.LastUsedAt, &s.ExpiresAt,
		&revoked, &s.RevokeReason, &s.UserAgent, &s.IP, &guest)
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: rotate refresh token: %w", translate(err))
	}
	if parent != nil {
		rt.ParentID = *parent
	}
	rt.CreatedAt, rt.RotatedAt = utc(rt.CreatedAt), utcPtr(rotated)
	if customer != nil {
		s.CustomerID = *customer
	}
	if guest != nil {
		s.GuestID = *guest
	}
	s.CreatedAt, s.LastUsedAt, s.ExpiresAt = utc(s.CreatedAt), utc(s.LastUsedAt), utc(s.ExpiresAt)
	s.RevokedAt = utcPtr(revoked)
	child.SessionID, child.ParentID = rt.SessionID, rt.ID
	return &rt, &s, nil
}
