package core

import (
	"context"
	"time"
)

// RefreshRotator is an optional fast path a backend's transaction Store may
// offer for the common refresh: it saves the round trips of the step-by-step
// rotation (PostgreSQL does it in one statement). Refresh uses it inside
// InTx and still judges the session and customer itself; when it rejects,
// the transaction's rollback undoes the rotation.
type RefreshRotator interface {
	// RotateRefreshTokenByHash locks the token with the SHA-256 hash (as
	// GetRefreshTokenByHash in InTx does) and its session, and when the
	// token is not yet rotated and its session belongs to shopID, it marks
	// the token rotated at at, inserts child (whose SessionID and ParentID
	// it fills in) and touches the session at at, like
	// MarkRefreshTokenRotated, CreateRefreshToken and TouchSession. It
	// returns the token and session as they were before. In every other
	// case (no such token, session of another shop, already rotated) it
	// writes nothing and returns ErrNotFound, and the caller takes the
	// step-by-step path, which tells those cases apart.
	RotateRefreshTokenByHash(ctx context.Context, shopID string, hash []byte, child *RefreshToken, at time.Time) (*RefreshToken, *Session, error)
}
