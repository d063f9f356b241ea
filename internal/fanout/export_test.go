package fanout

import "time"

// Hooks for the external tests in package fanout_test. Call them before
// Subscribe.

// SetTiming replaces b's idle health-check interval and re-subscribe
// backoff bounds, so tests need not wait out production values.
func SetTiming(b *RedisBus, healthCheck, minBackoff, maxBackoff time.Duration) {
	b.healthCheck, b.minBackoff, b.maxBackoff = healthCheck, minBackoff, maxBackoff
}

// OnSubscribed makes b call f after each confirmed SUBSCRIBE, the first
// and every re-subscription, so tests can wait for one.
func OnSubscribed(b *RedisBus, f func()) { b.onSubscribed = f }

// OnPong makes b call f after each reply to its idle health check.
func OnPong(b *RedisBus, f func()) { b.onPong = f }
