package server

import (
	"context"
	"time"
)

// purgeAudit deletes audit entries older than the retention now and then
// every interval until ctx ends. Every node runs it; the deletes are
// idempotent, so nodes racing each other only repeat work.
func (a *App) purgeAudit(ctx context.Context, every time.Duration) {
	if a.auditRetention <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := a.Service.PurgeAudit(ctx, a.auditRetention)
		switch {
		case err != nil && ctx.Err() == nil:
			a.Log.Warn("audit purge failed", "err", err)
		case n > 0:
			a.Log.Info("audit entries purged", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
