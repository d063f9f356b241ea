package securitytest

import "testing"

func case41(t *testing.T) { t.Skip("todo") }
func case42(t *testing.T) { t.Skip("todo") }
func case43(t *testing.T) { t.Skip("todo") }
func case44(t *testing.T) { t.Skip("todo") }
