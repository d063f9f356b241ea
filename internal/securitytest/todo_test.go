package securitytest

import "testing"

func case37(t *testing.T) { t.Skip("todo") }
func case38(t *testing.T) { t.Skip("todo") }
func case39(t *testing.T) { t.Skip("todo") }
func case40(t *testing.T) { t.Skip("todo") }
func case41(t *testing.T) { t.Skip("todo") }
func case42(t *testing.T) { t.Skip("todo") }
func case43(t *testing.T) { t.Skip("todo") }
func case44(t *testing.T) { t.Skip("todo") }
