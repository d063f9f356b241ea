package webhook

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// callbackTimeout is the SLAS contract's bound on a reset callback (§4.5);
// core also bounds it by context, this caps it whatever core asks.
const callbackTimeout = 5 * time.Second

// Callbacks posts password-reset callbacks (core.CallbackPoster) under the
// same address policy as webhook deliveries: redirects are not followed (a
// redirect could carry the reset token to a URL nobody registered) and
// non-public addresses are refused unless allowed.
type Callbacks struct {
	client *http.Client
}

// NewCallbacks returns a Callbacks; allowPrivate lifts the address check,
// as for New (the dev SFCC client's loopback callback URIs need it).
func NewCallbacks(allowPrivate bool) *Callbacks {
	return &Callbacks{client: newClient(allowPrivate, callbackTimeout, callbackTimeout)}
}

// PostCallback posts c once and returns the receiver's status. Errors name
// the cause only: the URL is the receiver's and the body and headers hold
// the token.
func (p *Callbacks) PostCallback(ctx context.Context, c core.Callback) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(c.Body))
	if err != nil {
		return 0, errors.New("callback: bad URL")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Clientele-Callbacks/1")
	for k, v := range c.Header {
		req.Header.Set(k, v)
	}
	return do(p.client, req, "callback: ")
}
