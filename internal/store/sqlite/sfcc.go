package sqlite

import (
	"context"
	"database/sql"
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
	_, err = r.w.ExecContext(ctx, `INSERT INTO sfcc_bindings (shop_id, organization_id, site_ids, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (shop_id) DO UPDATE SET organization_id = excluded.organization_id,
			site_ids = excluded.site_ids, updated_at = excluded.updated_at`,
		b.ShopID, b.OrganizationID, sites, micros(b.CreatedAt), micros(b.UpdatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: put sfcc binding: %w", translate(err))
	}
	if _, err := r.w.ExecContext(ctx, `DELETE FROM sfcc_clients WHERE shop_id = ?`, b.ShopID); err != nil {
		return fmt.Errorf("sqlite: put sfcc binding: %w", translate(err))
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
		_, err = r.w.ExecContext(ctx, `INSERT INTO sfcc_clients (client_id, shop_id, position, redirect_uris, callback_uris)
			VALUES (?, ?, ?, ?, ?)`, c.ClientID, b.ShopID, i, redirects, callbacks)
		if err != nil {
			return fmt.Errorf("sqlite: put sfcc client: %w", translate(err))
		}
	}
	return nil
}

// GetSFCCBinding returns the shop's binding with its clients.
func (r repo) GetSFCCBinding(ctx context.Context, shopID string) (*core.SFCCBinding, error) {
	return r.sfccBinding(ctx, `shop_id = ?`, shopID)
}

// GetSFCCBindingByOrg returns the binding of an organization id.
func (r repo) GetSFCCBindingByOrg(ctx context.Context, orgID string) (*core.SFCCBinding, error) {
	return r.sfccBinding(ctx, `organization_id = ?`, orgID)
}

func (r repo) sfccBinding(ctx context.Context, where, arg string) (*core.SFCCBinding, error) {
	var (
		b                core.SFCCBinding
		sites            string
		created, updated int64
	)
	err := r.r.QueryRowContext(ctx, `SELECT shop_id, organization_id, site_ids, created_at, updated_at
		FROM sfcc_bindings WHERE `+where, arg).Scan(&b.ShopID, &b.OrganizationID, &sites, &created, &updated)
	if err != nil {
		return nil, fmt.Errorf("sqlite: get sfcc binding: %w", translate(err))
	}
	b.CreatedAt, b.UpdatedAt = fromMicros(created), fromMicros(updated)
	if err := json.Unmarshal([]byte(sites), &b.SiteIDs); err != nil {
		return nil, fmt.Errorf("sqlite: decode site_ids: %w", err)
	}
	rows, err := r.r.QueryContext(ctx, `SELECT client_id, redirect_uris, callback_uris FROM sfcc_clients
		WHERE shop_id = ? ORDER BY position`, b.ShopID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list sfcc clients: %w", translate(err))
	}
	defer rows.Close()
	for rows.Next() {
		var (
			c                   core.SFCCClient
			redirects, callback string
		)
		if err := rows.Scan(&c.ClientID, &redirects, &callback); err != nil {
			return nil, fmt.Errorf("sqlite: list sfcc clients: %w", translate(err))
		}
		if err := json.Unmarshal([]byte(redirects), &c.RedirectURIs); err != nil {
			return nil, fmt.Errorf("sqlite: decode redirect_uris: %w", err)
		}
		if err := json.Unmarshal([]byte(callback), &c.CallbackURIs); err != nil {
			return nil, fmt.Errorf("sqlite: decode callback_uris: %w", err)
		}
		b.Clients = append(b.Clients, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list sfcc clients: %w", translate(err))
	}
	return &b, nil
}

// DeleteSFCCBinding removes the shop's binding and, by cascade, its clients.
func (r repo) DeleteSFCCBinding(ctx context.Context, shopID string) error {
	res, err := r.w.ExecContext(ctx, `DELETE FROM sfcc_bindings WHERE shop_id = ?`, shopID)
	if err != nil {
		return fmt.Errorf("sqlite: delete sfcc binding: %w", translate(err))
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("sqlite: delete sfcc binding: %w", core.ErrNotFound)
	}
	return nil
}

// CreateSFCCShopper inserts a shopper; a taken usid is core.ErrConflict.
func (r repo) CreateSFCCShopper(ctx context.Context, s *core.SFCCShopper) error {
	_, err := r.w.ExecContext(ctx, `INSERT INTO sfcc_shoppers (usid, shop_id, guest_id, created_at) VALUES (?, ?, ?, ?)`,
		s.USID, s.ShopID, s.GuestID, micros(s.CreatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: create sfcc shopper: %w", translate(err))
	}
	return nil
}

// GetSFCCShopper finds a shopper of the shop by usid.
func (r repo) GetSFCCShopper(ctx context.Context, shopID, usid string) (*core.SFCCShopper, error) {
	var (
		s       core.SFCCShopper
		created int64
	)
	err := r.r.QueryRowContext(ctx, `SELECT usid, shop_id, guest_id, created_at FROM sfcc_shoppers
		WHERE shop_id = ? AND usid = ?`, shopID, usid).Scan(&s.USID, &s.ShopID, &s.GuestID, &created)
	if err != nil {
		return nil, fmt.Errorf("sqlite: get sfcc shopper: %w", translate(err))
	}
	s.CreatedAt = fromMicros(created)
	return &s, nil
}

const sfccCodeColumns = `id, shop_id, hash, client_id, redirect_uri, channel_id, usid, customer_id, challenge,
	created_at, expires_at, used_at, session_id`

// CreateSFCCAuthCode inserts a code; a taken id or hash is core.ErrConflict.
func (r repo) CreateSFCCAuthCode(ctx context.Context, c *core.SFCCAuthCode) error {
	_, err := r.w.ExecContext(ctx, `INSERT INTO sfcc_auth_codes (`+sfccCodeColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.ShopID, c.Hash, c.ClientID, c.RedirectURI, c.ChannelID, c.USID, c.CustomerID, c.Challenge,
		micros(c.CreatedAt), micros(c.ExpiresAt), nullMicros(c.UsedAt), c.SessionID)
	if err != nil {
		return fmt.Errorf("sqlite: create sfcc code: %w", translate(err))
	}
	return nil
}

// GetSFCCAuthCodeByHash finds a code by the SHA-256 of its value; inside
// InTx the single writer serialises two redemptions.
func (r repo) GetSFCCAuthCodeByHash(ctx context.Context, hash []byte) (*core.SFCCAuthCode, error) {
	var (
		c                core.SFCCAuthCode
		created, expires int64
		used             sql.NullInt64
	)
	err := r.r.QueryRowContext(ctx, `SELECT `+sfccCodeColumns+` FROM sfcc_auth_codes WHERE hash = ?`, hash).
		Scan(&c.ID, &c.ShopID, &c.Hash, &c.ClientID, &c.RedirectURI, &c.ChannelID, &c.USID, &c.CustomerID, &c.Challenge,
			&created, &expires, &used, &c.SessionID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: get sfcc code: %w", translate(err))
	}
	c.CreatedAt, c.ExpiresAt, c.UsedAt = fromMicros(created), fromMicros(expires), fromNullMicros(used)
	return &c, nil
}

// UseSFCCAuthCode consumes the code once for sessionID.
func (r repo) UseSFCCAuthCode(ctx context.Context, id, sessionID string, at time.Time) error {
	res, err := r.w.ExecContext(ctx, `UPDATE sfcc_auth_codes SET used_at = ?, session_id = ? WHERE id = ? AND used_at IS NULL`,
		micros(at), sessionID, id)
	if err != nil {
		return fmt.Errorf("sqlite: use sfcc code: %w", translate(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlite: use sfcc code: %w", translate(err))
	} else if n == 1 {
		return nil
	}
	ok, err := exists(ctx, r.w, `SELECT 1 FROM sfcc_auth_codes WHERE id = ?`, id)
	switch {
	case err != nil:
		return fmt.Errorf("sqlite: use sfcc code: %w", err)
	case !ok:
		return fmt.Errorf("sqlite: use sfcc code: %w", core.ErrNotFound)
	}
	return fmt.Errorf("sqlite: use sfcc code: %w", core.ErrConflict)
}

// CreateSFCCSession binds a session; an unknown session is core.ErrNotFound.
func (r repo) CreateSFCCSession(ctx context.Context, s *core.SFCCSession) error {
	_, err := r.w.ExecContext(ctx, `INSERT INTO sfcc_sessions (session_id, shop_id, client_id, channel_id, usid, dnt, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, s.SessionID, s.ShopID, s.ClientID, s.ChannelID, s.USID, s.DNT, micros(s.CreatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: create sfcc session: %w", translate(err))
	}
	return nil
}

// GetSFCCSession returns a session's binding within the shop.
func (r repo) GetSFCCSession(ctx context.Context, shopID, sessionID string) (*core.SFCCSession, error) {
	var (
		s       core.SFCCSession
		created int64
	)
	err := r.r.QueryRowContext(ctx, `SELECT session_id, shop_id, client_id, channel_id, usid, dnt, created_at
		FROM sfcc_sessions WHERE shop_id = ? AND session_id = ?`, shopID, sessionID).
		Scan(&s.SessionID, &s.ShopID, &s.ClientID, &s.ChannelID, &s.USID, &s.DNT, &created)
	if err != nil {
		return nil, fmt.Errorf("sqlite: get sfcc session: %w", translate(err))
	}
	s.CreatedAt = fromMicros(created)
	return &s, nil
}
