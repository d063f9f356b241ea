package ratelimit_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/ratelimit"
)

// BenchmarkTake measures Take under parallel load, on one hot key (every
// goroutine on one mutex) and spread over many keys (the sharded case).
func BenchmarkTake(b *testing.B) {
	rate := core.Rate{Limit: 1_000_000, Window: time.Second}
	for _, keys := range []int{1, 10_000} {
		b.Run(fmt.Sprint("keys=", keys), func(b *testing.B) {
			names := make([]string, keys)
			for i := range names {
				names[i] = fmt.Sprint("login:customer-", i, "@example.com")
			}
			m := ratelimit.NewMemory(core.SystemClock{})
			ctx := context.Background()
			var seq atomic.Uint64
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				i := int(seq.Add(1)) * 7919 // goroutines start on different keys
				for pb.Next() {
					if _, _, err := m.Take(ctx, names[i%keys], rate); err != nil {
						b.Error(err)
						return
					}
					i++
				}
			})
		})
	}
}
