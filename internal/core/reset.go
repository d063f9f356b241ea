package core

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"
)

// RequestPasswordReset starts a reset for an e-mail. The answer is the same
// whether or not the account exists (the caller renders one fixed 202), and
// so is its latency: the request only validates, spends the rate limits and
// draws a token, then hands the look-up, the write and the mail to the
// background (OWASP Forgot Password: "asynchronous calls"), so no database
// work of a known account shows in the response time (SECURITY.md 2). The
// mail is queued after commit, so SMTP never shows either. A failure in
// the background is logged; the caller has already been told "accepted".
//
// redirectURL, if set, must start with one of the store's allowed origins;
// otherwise the store's configured reset page is used. The link is never
// built from the request's Host header.
func (s *Service) RequestPasswordReset(ctx context.Context, sh *Shop, email, redirectURL string, meta ClientMeta) error {
	return s.requestPasswordReset(ctx, sh, email, redirectURL, ResetBinding{}, meta)
}

// requestPasswordReset is RequestPasswordReset with the token bound to b.
// The binding only rides along to the background write, so it changes
// nothing the requester could time.
func (s *Service) requestPasswordReset(ctx context.Context, sh *Shop, email, redirectURL string, b ResetBinding, meta ClientMeta) error {
	norm, base, err := s.resetRequest(ctx, sh, email, redirectURL, meta)
	if err != nil {
		return err
	}
	token, now := s.newSecret("", 32), s.now()
	return s.background.run(ctx, func(ctx context.Context) {
		if err := s.issueReset(ctx, sh, norm, resetDelivery{base: base, binding: b}, token, now); err != nil {
			s.log.Error("password reset not issued", "err", err)
		}
	})
}

// resetRequest checks a reset request and spends its rate limits.
func (s *Service) resetRequest(ctx context.Context, sh *Shop, email, redirectURL string, meta ClientMeta) (norm, base string, err error) {
	norm, err = NormalizeEmail(email)
	if err != nil {
		return "", "", err
	}
	base, err = s.resetBase(sh, redirectURL)
	if err != nil {
		return "", "", err
	}
	if err := s.take(ctx, keyResetIP(sh.ID, meta.IP), s.cfg.Limits.ResetPerIP); err != nil {
		return "", "", err
	}
	if err := s.take(ctx, keyResetEmail(sh.ID, norm), s.cfg.Limits.ResetPerEmail); err != nil {
		return "", "", err
	}
	return norm, base, nil
}

// resetDelivery is how an issued reset token reaches the customer: a mail
// with a link on base, or, when callback is set, a POST to the client's
// callback URI; binding is stored with the token.
type resetDelivery struct {
	base     string
	callback *ResetCallback
	binding  ResetBinding
}

// issueReset stores a reset token for the active account with the e-mail,
// if there is one, superseding older tokens, and delivers it after commit.
func (s *Service) issueReset(ctx context.Context, sh *Shop, norm string, d resetDelivery, token string, now time.Time) error {
	c, err := s.store.GetCustomerByEmail(ctx, sh.ID, norm)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	// Audited in the background for known and unknown e-mails alike, so the
	// entry costs the requester nothing it could time.
	s.audit(ctx, sh.ID, AuditResetRequested, customerIDOf(c), norm, "")
	if c == nil || c.Status != StatusActive {
		return nil
	}
	resetID := s.newID("prt")
	// The token and link are not in the event: the outbox is readable like
	// any table, and a database dump must not yield a working reset.
	data := map[string]any{"redirect_origin": originOf(d.base)}
	if d.callback != nil {
		data = map[string]any{"redirect_origin": "", "via": "callback", "callback_origin": originOf(d.callback.URL)}
	}
	err = s.store.InTx(ctx, func(tx Store) error {
		// A newer request supersedes every older token (SECURITY.md 24).
		if err := tx.InvalidatePasswordResets(ctx, sh.ID, c.ID, now); err != nil {
			return err
		}
		if err := tx.CreatePasswordReset(ctx, &PasswordReset{
			ID: resetID, ShopID: sh.ID, CustomerID: c.ID, Hash: hashToken(token),
			CreatedAt: now, ExpiresAt: now.Add(s.settings(sh).ResetTokenTTL), Binding: d.binding,
		}); err != nil {
			return err
		}
		return s.emit(ctx, tx, sh.ID, EventPasswordResetRequested, c.ID, data)
	})
	if err != nil {
		return err
	}
	if d.callback != nil {
		s.postResetCallback(ctx, sh, c, resetID, *d.callback, token)
		return nil
	}
	link := withQuery(d.base, "token", token)
	s.send(ctx, Message{
		To: c.Email, Kind: "password_reset", Subject: "Reset your password for " + sh.Name,
		ShopID: sh.ID, Vars: &MailVars{ShopName: sh.Name, Link: link, ValidFor: s.settings(sh).ResetTokenTTL.String()},
		Text: "Someone asked to reset the password of your " + sh.Name + " account.\n\n" +
			"To choose a new password, open this link within " + s.settings(sh).ResetTokenTTL.String() + ":\n\n" +
			link + "\n\nIf it was not you, ignore this message: your password stays as it is.\n",
	})
	return nil
}

// resetBase picks and checks the page a reset link points to.
func (s *Service) resetBase(sh *Shop, redirectURL string) (string, error) {
	if redirectURL == "" {
		return sh.PasswordResetURL, nil
	}
	u, err := url.Parse(redirectURL)
	if err != nil || u.Fragment != "" || len(redirectURL) > 2000 || !OriginAllowed(sh, originOf(redirectURL)) {
		return "", &ValidationError{Code: CodeRedirectNotAllowed, Fields: []FieldError{{
			Field: "redirect_url", Code: FieldNotAllowed, Message: "redirect_url must be on one of the store's allowed origins",
		}}}
	}
	return redirectURL, nil
}

func withQuery(base, k, v string) string {
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + k + "=" + url.QueryEscape(v)
}

// CompletePasswordReset sets a new password with a reset token, revokes
// every session of the customer and starts a new one. The token is single
// use: of two concurrent completions exactly one succeeds. It brings no
// proof, so a bound token (ResetBinding) is invalid here: a SLAS token
// read from a mail box must not complete through another surface.
func (s *Service) CompletePasswordReset(ctx context.Context, sh *Shop, token, password string, meta ClientMeta) (*AuthResult, error) {
	return s.CompletePasswordResetBound(ctx, sh, token, password, ResetProof{}, meta)
}

// CompletePasswordResetBound is CompletePasswordReset with the proof a
// bound token asks for: the same client, the code_verifier of its
// challenge, the customer's login for cross_device; a login given for any
// token must be the customer's. A proof that fails is the invalid-token
// error (CodeResetTokenInvalid) and leaves the token usable: only a
// successful completion consumes it.
func (s *Service) CompletePasswordResetBound(ctx context.Context, sh *Shop, token, password string, proof ResetProof, meta ClientMeta) (*AuthResult, error) {
	if token == "" {
		return nil, fieldErr("token", FieldRequired, "token is required")
	}
	if err := s.take(ctx, keyResetDoneIP(sh.ID, meta.IP), s.cfg.Limits.ResetCompletePerIP); err != nil {
		return nil, err
	}
	invalid := newErr(ErrInvalid, CodeResetTokenInvalid, "the reset link is invalid or has expired")
	if len(token) > 200 {
		return nil, invalid
	}
	now := s.now()
	r, err := s.store.GetPasswordResetByHash(ctx, hashToken(token))
	if err != nil {
		return nil, notFoundAs(err, invalid)
	}
	if r.ShopID != sh.ID || r.UsedAt != nil || !now.Before(r.ExpiresAt) {
		return nil, invalid
	}
	c, err := s.store.GetCustomer(ctx, sh.ID, r.CustomerID)
	if err != nil {
		return nil, notFoundAs(err, invalid)
	}
	// Checked before the password policy, so a caller without the proof
	// learns nothing but "invalid", and before anything is written.
	if !proof.satisfies(r.Binding, c) {
		return nil, invalid
	}
	password = normalizePassword(password)
	if err := s.checkPassword("password", password, c.EmailNormalized, s.settings(sh)); err != nil {
		return nil, err
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return nil, err
	}
	var res *AuthResult
	var revoked []string
	err = s.store.InTx(ctx, func(tx Store) error {
		if err := tx.UsePasswordReset(ctx, r.ID, now); err != nil {
			return conflictAs(notFoundAs(err, invalid), invalid)
		}
		c, err := tx.GetCustomer(ctx, sh.ID, r.CustomerID)
		if err != nil {
			return notFoundAs(err, invalid)
		}
		if c.Status != StatusActive {
			return invalid
		}
		if err := s.setPassword(ctx, tx, c, hash, now); err != nil {
			return err
		}
		if revoked, err = s.revokeOthers(ctx, tx, sh.ID, c.ID, "", "password_reset", now); err != nil {
			return err
		}
		if err := s.emit(ctx, tx, sh.ID, EventPasswordResetCompleted, c.ID, map[string]any{"sessions_revoked": len(revoked)}); err != nil {
			return err
		}
		res, err = s.login(ctx, tx, sh, c, meta, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.revokeLocal(now, revoked...)
	s.notifyPasswordChanged(ctx, sh, res.Customer)
	return res, nil
}

// setPassword stores a new hash and invalidates outstanding reset tokens.
func (s *Service) setPassword(ctx context.Context, tx Store, c *Customer, hash string, now time.Time) error {
	c.PasswordHash = hash
	c.PasswordChangedAt = &now
	c.UpdatedAt = now
	if err := tx.UpdateCustomer(ctx, c); err != nil {
		return err
	}
	return tx.InvalidatePasswordResets(ctx, c.ShopID, c.ID, now)
}

func (s *Service) notifyPasswordChanged(ctx context.Context, sh *Shop, c *Customer) {
	s.send(ctx, Message{
		To: c.Email, Kind: "password_changed", Subject: "Your " + sh.Name + " password was changed",
		ShopID: sh.ID, Vars: &MailVars{ShopName: sh.Name},
		Text: "The password of your " + sh.Name + " account was just changed, and every other device was signed out.\n\n" +
			"If you did not do this, reset your password now and contact the store.\n",
	})
}

// send queues mail; the Mailer is an asynchronous queue, so a failure here
// means the queue is full, which is logged and never fails the request.
func (s *Service) send(ctx context.Context, m Message) {
	if err := s.mailer.Send(ctx, m); err != nil {
		s.log.Error("mail not queued", "kind", m.Kind, "to", MaskEmail(m.To), "err", err)
	}
}

// conflictAs turns ErrConflict into repl.
func conflictAs(err, repl error) error {
	if errors.Is(err, ErrConflict) {
		return repl
	}
	return err
}
