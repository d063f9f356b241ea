// Package httpx is the HTTP plumbing every surface shares: handlers that
// return errors, strict JSON decoding with body limits, request ids, panic
// recovery, access logs, client IPs and routers whose 404/405 answers are
// rendered by the surface (problem+json for /v1, each platform's envelope
// for a dialect). It knows nothing of any wire format.
package httpx
