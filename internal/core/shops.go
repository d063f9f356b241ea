package core

import (
	"context"
	"crypto/sha256"
	"errors"
	"net/url"
	"strings"
)

// NewShop is the input for creating a store.
type NewShop struct {
	Name             string
	AllowedOrigins   []string
	PasswordResetURL string
	Settings         ShopSettings
}

// CreatedShop is a new store with the plaintext keys, shown only once.
type CreatedShop struct {
	Shop           *Shop
	PublishableKey string
	SecretKey      string
}

// CreateShop creates a store with one publishable and one secret key.
func (s *Service) CreateShop(ctx context.Context, in NewShop) (*CreatedShop, error) {
	name := strings.TrimSpace(in.Name)
	var fields []FieldError
	if name == "" {
		fields = append(fields, FieldError{Field: "name", Code: FieldRequired, Message: "name is required"})
	} else if len(name) > 200 {
		fields = append(fields, FieldError{Field: "name", Code: FieldTooLong, Message: "name is longer than 200 characters"})
	}
	origins, err := normalizeOrigins(in.AllowedOrigins)
	if err != nil {
		fields = append(fields, FieldError{Field: "allowed_origins", Code: FieldInvalid, Message: err.Error()})
	}
	resetURL := in.PasswordResetURL
	if resetURL == "" {
		resetURL = s.cfg.DevResetURL
	}
	if !isHTTPURL(resetURL) {
		fields = append(fields, FieldError{Field: "password_reset_url", Code: FieldInvalid, Message: "must be an absolute http(s) URL"})
	}
	if len(fields) > 0 {
		return nil, &ValidationError{Code: CodeValidationFailed, Fields: fields}
	}
	now := s.now()
	sh := &Shop{
		ID: s.newID("sto"), Name: name, AllowedOrigins: origins, PasswordResetURL: resetURL,
		Settings: in.Settings, CreatedAt: now, UpdatedAt: now,
	}
	// The reset page's own origin is always an allowed redirect target.
	if o := originOf(resetURL); o != "" && !contains(sh.AllowedOrigins, o) {
		sh.AllowedOrigins = append(sh.AllowedOrigins, o)
	}
	out := &CreatedShop{Shop: sh, PublishableKey: s.newSecret("pk_", 24), SecretKey: s.newSecret("sk_", 32)}
	err = s.store.InTx(ctx, func(tx Store) error {
		if err := tx.CreateShop(ctx, sh); err != nil {
			return err
		}
		for _, k := range []struct {
			kind  KeyKind
			value string
		}{{KeyPublishable, out.PublishableKey}, {KeySecret, out.SecretKey}} {
			h := sha256.Sum256([]byte(k.value))
			if err := tx.CreateAPIKey(ctx, &APIKey{
				ID: s.newID("key"), ShopID: sh.ID, Kind: k.kind, Hash: h[:], Hint: k.value[:8], CreatedAt: now,
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// OldestShop returns the first store created, or ErrNotFound.
func (s *Service) OldestShop(ctx context.Context) (*Shop, error) { return s.store.OldestShop(ctx) }

// Shop returns a store by id (cached briefly: it is read on every request).
func (s *Service) Shop(ctx context.Context, id string) (*Shop, error) {
	now := s.clock.Now()
	if sh, ok := s.shops.get(id, now); ok {
		return sh, nil
	}
	sh, err := s.store.GetShop(ctx, id)
	if err != nil {
		return nil, err
	}
	s.shops.put(id, sh, now)
	return sh, nil
}

// ShopByKey resolves an API key of the given kind to its store. A missing,
// unknown, revoked or wrong-kind key is ErrUnauthenticated (invalid_api_key).
func (s *Service) ShopByKey(ctx context.Context, key string, kind KeyKind) (*Shop, error) {
	bad := newErr(ErrUnauthenticated, CodeInvalidAPIKey, "the API key is missing or invalid")
	prefix := "pk_"
	if kind == KeySecret {
		prefix = "sk_"
	}
	if !strings.HasPrefix(key, prefix) || len(key) > 200 {
		return nil, bad
	}
	sum := sha256.Sum256([]byte(key))
	hk := string(sum[:])
	now := s.clock.Now()
	k, ok := s.keys.get(hk, now)
	if !ok {
		var err error
		k, err = s.store.GetAPIKeyByHash(ctx, sum[:])
		if errors.Is(err, ErrNotFound) {
			return nil, bad
		}
		if err != nil {
			return nil, err
		}
		s.keys.put(hk, k, now)
	}
	if k.Kind != kind || k.RevokedAt != nil {
		return nil, bad
	}
	sh, err := s.Shop(ctx, k.ShopID)
	if errors.Is(err, ErrNotFound) {
		return nil, bad
	}
	return sh, err
}

// OriginAllowed reports whether origin is one of the store's allowed origins.
func OriginAllowed(sh *Shop, origin string) bool {
	return origin != "" && contains(sh.AllowedOrigins, strings.ToLower(origin))
}

func normalizeOrigins(in []string) ([]string, error) {
	out := make([]string, 0, len(in))
	for _, o := range in {
		n := originOf(strings.TrimSpace(o))
		if n == "" || n != strings.ToLower(strings.TrimRight(strings.TrimSpace(o), "/")) {
			return nil, errors.New("origins are scheme://host[:port] with no path, e.g. https://shop.example")
		}
		if !contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// originOf returns the lower-cased scheme://host[:port] of an absolute
// http(s) URL, or "" if it is not one.
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return ""
	}
	return strings.ToLower(u.Scheme + "://" + u.Host)
}

func isHTTPURL(raw string) bool { return originOf(raw) != "" }

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
