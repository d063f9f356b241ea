package ratelimit_test

import (
	"testing"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/ratelimit"
	"github.com/clientele/clientele/internal/ratelimit/ratelimittest"
)

func TestMemoryConformance(t *testing.T) {
	ratelimittest.Run(t, func(*testing.T) core.Limiter { return ratelimit.NewMemory(core.SystemClock{}) })
}
