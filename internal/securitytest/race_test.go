//go:build race

package securitytest

// raceEnabled reports a -race build: latency under the race detector
// measures the detector, so timing and load checks run in CI's separate
// non-race step instead (see needTiming).
const raceEnabled = true
