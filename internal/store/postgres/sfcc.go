package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// PutSFCCBinding inserts or replaces the shop's binding and its clients.
// Core runs it inside InTx, so the binding and its clients change together;
// an organization or client id of another shop is core.ErrConflict.
func (r repo) PutSFCCBinding(ctx context.Context, b *core.SFCCBinding) error {
	sites, err := jsonList(b.SiteIDs)
	if err != nil {
		return err
	}
	_, err = r.checkedExec(ctx, `INSERT INTO sfcc_bindings (shop_id, organization_id, site_ids, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (shop_id) DO UPDATE SET organization_id = excluded.organization_id,
			site_ids = excluded.site_ids, updated_at = excluded.updated_at`,
		b.ShopID, b.OrganizationID, sites, b.CreatedAt, b.UpdatedAt)
	if err != nil {
		return fmt.Errorf("postgres: put sfcc binding: %w", translate(err))
	}
	if _, err := r.q.Exec(ctx, `DELETE FROM sfcc_clients WHERE shop_id = $1`, b.ShopID); err != nil {
		return fmt.Errorf("postgres: put sfcc binding: %w", translate(err))
	}
	for i, c := range b.Clients {
		redirects, err := jsonList(c.RedirectURIs)
		if err != nil {
			return err
		}
		callbacks, err := jsonList(c.CallbackURIs)
		if err != nil {
			return err
		}
		_, err = r.checkedExec(ctx, `INSERT INTO sfcc_clients (client_id, shop_id, position, redirect_uris, callback_uris)
			VALUES ($1, $2, $3, $4, $5)`, c.ClientID, b.ShopID, i, redirects, callbacks)
		if err != nil {
			return fmt.Errorf("postgres: put sfcc client: %w", translate(err))
		}
	}
	return nil
}

// GetSFCCBinding returns the shop's binding with its clients.
func (r repo) GetSFCCBinding(ctx context.Context, shopID string) (*core.SFCCBinding, error) {
	return r.sfccBinding(ctx, `shop_id = $1`, shopID)
}

// GetSFCCBindingByOrg returns the binding of an organization id.
func (r repo) GetSFCCBindingByOrg(ctx context.Context, orgID string) (*core.SFCCBinding, error) {
	return r.sfccBinding(ctx, `organization_id = $1`, orgID)
}

func (r repo) sfccBinding(ctx context.Context, where, arg string) (*core.SFCCBinding, error) {
	var (
		b     core.SFCCBinding
		sites []byte
	)
	err := r.q.QueryRow(ctx, `SELECT shop_id, organization_id, site_ids, created_at, updated_at
		FROM sfcc_bindings WHERE `+where, arg).Scan(&b.ShopID, &b.OrganizationID, &sites, &b.CreatedAt, &b.UpdatedAt)
	if err != nil {
		return nil, fmt.Errorf("postgres: get sfcc binding: %w", translate(err))
	}
	b.CreatedAt, b.UpdatedAt = utc(b.CreatedAt), utc(b.UpdatedAt)
	if err := json.Unmarshal(sites, &b.SiteIDs); err != nil {
		return nil, fmt.Errorf("postgres: decode site_ids: %w", err)
	}
	rows, err := r.q.Query(ctx, `SELECT client_id, redirect_uris, callback_uris FROM sfcc_clients
		WHERE shop_id = $1 ORDER BY position`, b.ShopID)
	if err != nil {
		return nil, fmt.Errorf("postgres: list sfcc clients: %w", translate(err))
	}
	defer rows.Close()
	for rows.Next() {
		var (
			c                   core.SFCCClient
			redirects, callback []byte
		)
		if err := rows.Scan(&c.ClientID, &redirects, &callback); err != nil {
			return nil, fmt.Errorf("postgres: list sfcc clients: %w", translate(err))
		}
		if err := json.Unmarshal(redirects, &c.RedirectURIs); err != nil {
			return nil, fmt.Errorf("postgres: decode redirect_uris: %w", err)
		}
		if err := json.Unmarshal(callback, &c.CallbackURIs); err != nil {
			return nil, fmt.Errorf("postgres: decode callback_uris: %w", err)
		}
		b.Clients = append(b.Clients, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list sfcc clients: %w", translate(err))
	}
	return &b, nil
}

// DeleteSFCCBinding removes the shop's binding and, by cascade, its clients.
func (r repo) DeleteSFCCBinding(ctx context.Context, shopID string) error {
	tag, err := r.q.Exec(ctx, `DELETE FROM sfcc_bindings WHERE shop_id = $1`, shopID)
	if err != nil {
		return fmt.Errorf("postgres: delete sfcc binding: %w", translate(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: delete sfcc binding: %w", core.ErrNotFound)
	}
	return nil
}

// CreateSFCCShopper inserts a shopper; a taken usid is core.ErrConflict.
func (r repo) CreateSFCCShopper(ctx context.Context, s *core.SFCCShopper) error {
	_, err := r.checkedExec(ctx, `INSERT INTO sfcc_shoppers (usid, shop_id, guest_id, created_at) VALUES ($1, $2, $3, $4)`,
		s.USID, s.ShopID, s.GuestID, s.CreatedAt)
	if err != nil {
		return fmt.Errorf("postgres: create sfcc shopper: %w", translate(err))
	}
	return nil
}

// GetSFCCShopper finds a shopper of the shop by usid.
func (r repo) GetSFCCShopper(ctx context.Context, shopID, usid string) (*core.SFCCShopper, error) {
	var s core.SFCCShopper
	err := r.q.QueryRow(ctx, `SELECT usid, shop_id, guest_id, created_at FROM sfcc_shoppers
		WHERE shop_id = $1 AND usid = $2`, shopID, usid).Scan(&s.USID, &s.ShopID, &s.GuestID, &s.CreatedAt)
	if err != nil {
		return nil, fmt.Errorf("postgres: get sfcc shopper: %w", translate(err))
	}
	s.CreatedAt = utc(s.CreatedAt)
	return &s, nil
}

const sfccCodeColumns = `id, shop_id, hash, client_id, redirect_uri, channel_id, usid, customer_id, challenge,
	created_at, expires_at, used_at, session_id`

// CreateSFCCAuthCode inserts a code; a taken id or hash is core.ErrConflict.
func (r repo) CreateSFCCAuthCode(ctx context.Context, c *core.SFCCAuthCode) error {
	_, err := r.checkedExec(ctx, `INSERT INTO sfcc_auth_codes (`+sfccCodeColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		c.ID, c.ShopID, c.Hash, c.ClientID, c.RedirectURI, c.ChannelID, c.USID, c.CustomerID, c.Challenge,
		c.CreatedAt, c.ExpiresAt, c.UsedAt, c.SessionID)
	if err != nil {
		return fmt.Errorf("postgres: create sfcc code: %w", translate(err))
	}
	return nil
}

// GetSFCCAuthCodeByHash finds a code by the SHA-256 of its value; inside
// InTx it locks the row, so two redemptions are serialised.
func (r repo) GetSFCCAuthCodeByHash(ctx context.Context, hash []byte) (*core.SFCCAuthCode, error) {
	var (
		c    core.SFCCAuthCode
		used *time.Time
	)
	err := r.q.QueryRow(ctx, `SELECT `+sfccCodeColumns+` FROM sfcc_auth_codes WHERE hash = $1`+r.forUpdate(), hash).
		Scan(&c.ID, &c.ShopID, &c.Hash, &c.ClientID, &c.RedirectURI, &c.ChannelID, &c.USID, &c.CustomerID, &c.Challenge,
			&c.CreatedAt, &c.ExpiresAt, &used, &c.SessionID)
	if err != nil {
		return nil, fmt.Errorf("postgres: get sfcc code: %w", translate(err))
	}
	c.CreatedAt, c.ExpiresAt, c.UsedAt = utc(c.CreatedAt), utc(c.ExpiresAt), utcPtr(used)
	return &c, nil
}

// UseSFCCAuthCode consumes the code once for sessionID.
func (r repo) UseSFCCAuthCode(ctx context.Context, id, sessionID string, at time.Time) error {
	tag, err := r.q.Exec(ctx, `UPDATE sfcc_auth_codes SET used_at = $1, session_id = $2 WHERE id = $3 AND used_at IS NULL`,
		at, sessionID, id)
	if err != nil {
		return fmt.Errorf("postgres: use sfcc code: %w", translate(err))
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	ok, err := exists(ctx, r.q, `SELECT 1 FROM sfcc_auth_codes WHERE id = $1`, id)
	switch {
	case err != nil:
		return fmt.Errorf("postgres: use sfcc code: %w", err)
	case !ok:
		return fmt.Errorf("postgres: use sfcc code: %w", core.ErrNotFound)
	}
	return fmt.Errorf("postgres: use sfcc code: %w", core.ErrConflict)
}

// CreateSFCCSession binds a session; an unknown session is core.ErrNotFound.
func (r repo) CreateSFCCSession(ctx context.Context, s *core.SFCCSession) error {
	_, err := r.checkedExec(ctx, `INSERT INTO sfcc_sessions (session_id, shop_id, client_id, channel_id, usid, dnt, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, s.SessionID, s.ShopID, s.ClientID, s.ChannelID, s.USID, s.DNT, s.CreatedAt)
	if err != nil {
		return fmt.Errorf("postgres: create sfcc session: %w", translate(err))
	}
	return nil
}

// GetSFCCSession returns a session's binding within the shop.
func (r repo) GetSFCCSession(ctx context.Context, shopID, sessionID string) (*core.SFCCSession, error) {
	var s core.SFCCSession
	err := r.q.QueryRow(ctx, `SELECT session_id, shop_id, client_id, channel_id, usid, dnt, created_at
		FROM sfcc_sessions WHERE shop_id = $1 AND session_id = $2`, shopID, sessionID).
		Scan(&s.SessionID, &s.ShopID, &s.ClientID, &s.ChannelID, &s.USID, &s.DNT, &s.CreatedAt)
	if err != nil {
		return nil, fmt.Errorf("postgres: get sfcc session: %w", translate(err))
	}
	s.CreatedAt = utc(s.CreatedAt)
	return &s, nil
}

// jsonList encodes a string list as a JSON array, never null.
func jsonList(v []string) (string, error) {
	if v == nil {
		v = []string{}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("%w: %v", core.ErrInvalid, err)
	}
	return string(b), nil
}
