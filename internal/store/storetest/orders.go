package storetest

// orderCases returns the cases of the order index.
func orderCases() []methodCases {
	return nil
}
