package securitytest

import "testing"

func case43(t *testing.T) { t.Skip("todo") }
func case44(t *testing.T) { t.Skip("todo") }
