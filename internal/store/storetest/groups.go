package storetest

// groupCases returns the cases of customer groups.
func groupCases() []methodCases {
	return nil
}
