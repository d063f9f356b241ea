//go:build !race

package securitytest

// raceEnabled reports a -race build (see race_test.go).
const raceEnabled = false
