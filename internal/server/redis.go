package server

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/fanout"
	"github.com/clientele/clientele/internal/ratelimit"
)

// shared is what a node shares with the others through Redis.
type shared struct {
	client  *redis.Client
	limiter *ratelimit.Redis
	bus     *fanout.RedisBus
}

// revocationChannel is the pub/sub channel of session revocations.
const revocationChannel = "clientele:revocations"

// connectRedis builds the Redis-backed limiter (falling back to local on
// outages) and revocation bus. It does not fail when Redis is down at start:
// the node serves on its local fallbacks and recovers when Redis returns.
func connectRedis(url string, local core.Limiter, log *slog.Logger) (*shared, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("--redis: %w", err)
	}
	opts.DialTimeout = time.Second
	opts.ReadTimeout = 500 * time.Millisecond
	opts.WriteTimeout = 500 * time.Millisecond
	client := redis.NewClient(opts)
	return &shared{
		client:  client,
		limiter: ratelimit.NewRedis(client, "clientele:rl:", local, log),
		bus:     fanout.NewRedisBus(client, revocationChannel, log),
	}, nil
}

// subscribe applies revocations published by other nodes until ctx ends.
func (s *shared) subscribe(ctx context.Context, svc *core.Service) {
	_ = s.bus.Subscribe(ctx, func(r core.Revocation) { svc.NoteRevoked(r.SessionID, r.RevokedAt) })
}

// state reports Redis for /readyz.
func (s *shared) state(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if err := s.client.Ping(ctx).Err(); err != nil {
		return "down"
	}
	return "ok"
}
