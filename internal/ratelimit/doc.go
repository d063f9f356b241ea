// Package ratelimit implements [core.Limiter].
//
// [Memory] keeps state in the process: right for a single node, and the
// fallback when a shared store is down. [Redis] keeps it in Redis, so that
// all nodes share one budget per key, and falls back to a Memory per call
// while Redis is unreachable. Both pass the suite in ratelimittest.
//
// Limits use GCRA (the generic cell rate algorithm), which needs one
// timestamp per key instead of a counter and a window start, and which
// frees budget smoothly instead of all at once at a window edge, so a
// client cannot double its rate by straddling two windows.
package ratelimit
