package core

import (
	"context"
	"time"
)

// take consumes one unit of a rate-limit budget; a denial is a RateLimitError.
// A limiter failure (e.g. Redis down) is logged and the attempt allowed: the
// limiter implementation is responsible for falling back to local limits.
func (s *Service) take(ctx context.Context, key string, r Rate) error {
	if r.Limit <= 0 {
		return nil
	}
	ok, wait, err := s.limiter.Take(ctx, key, r)
	if err != nil {
		s.log.Warn("rate limiter failed", "err", err)
		return nil
	}
	if !ok {
		return s.auditRefusal(ctx, key, &RateLimitError{RetryAfter: roundUpSecond(wait)})
	}
	return nil
}

// peek reports a denial without consuming.
func (s *Service) peek(ctx context.Context, key string, r Rate) error {
	if r.Limit <= 0 {
		return nil
	}
	ok, wait, err := s.limiter.Peek(ctx, key, r)
	if err != nil {
		s.log.Warn("rate limiter failed", "err", err)
		return nil
	}
	if !ok {
		return s.auditRefusal(ctx, key, &RateLimitError{RetryAfter: roundUpSecond(wait)})
	}
	return nil
}

func roundUpSecond(d time.Duration) time.Duration {
	if d < time.Second {
		return time.Second
	}
	return (d + time.Second - 1).Truncate(time.Second)
}

// Rate-limit keys. The store id is part of every key so one store's traffic
// never spends another's budget.
func keyLoginAccount(shopID, email string) string { return "login:acct:" + shopID + ":" + email }
func keyLoginIP(shopID, ip string) string         { return "login:ip:" + shopID + ":" + ip }
func keyRegisterIP(shopID, ip string) string      { return "register:ip:" + shopID + ":" + ip }
func keyResetEmail(shopID, email string) string   { return "reset:email:" + shopID + ":" + email }
func keyResetIP(shopID, ip string) string         { return "reset:ip:" + shopID + ":" + ip }
func keyResetDoneIP(shopID, ip string) string     { return "reset:complete:ip:" + shopID + ":" + ip }
func keyEmailExistsIP(shopID, ip string) string   { return "exists:ip:" + shopID + ":" + ip }
