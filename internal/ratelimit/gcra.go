package ratelimit

import (
	"errors"
	"fmt"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// ErrInvalidRate is returned for a rule that cannot be enforced: a Limit
// below 1, a Window that is not positive, or one shorter than Limit
// nanoseconds (its emission interval would round to zero and allow
// everything). Failing loudly beats silently not limiting.
var ErrInvalidRate = errors.New("ratelimit: invalid rate")

// interval returns GCRA's emission interval T = Window/Limit: the time one
// unit of budget takes to come back. Truncating (rather than rounding up)
// keeps a full burst of Limit always allowed.
func interval(r core.Rate) (time.Duration, error) {
	if r.Limit < 1 || r.Window <= 0 {
		return 0, fmt.Errorf("%w: %d per %v", ErrInvalidRate, r.Limit, r.Window)
	}
	t := r.Window / time.Duration(r.Limit)
	if t <= 0 {
		return 0, fmt.Errorf("%w: %d per %v", ErrInvalidRate, r.Limit, r.Window)
	}
	return t, nil
}

// decide applies GCRA to one event at now (all values in Unix nanoseconds).
// tat is the key's theoretical arrival time: when its budget would be full
// again. Each allowed event pushes tat by t; an event is allowed while tat,
// so pushed, stays within window of now, which permits a burst of Limit.
// When denied, retryAfter is exactly how long until one unit frees.
func decide(tat, now int64, t, window time.Duration) (newTAT int64, allowed bool, retryAfter time.Duration) {
	tat = max(tat, now)
	newTAT = tat + int64(t)
	allowAt := newTAT - int64(window)
	if now < allowAt {
		return tat, false, time.Duration(allowAt - now)
	}
	return newTAT, true, 0
}
