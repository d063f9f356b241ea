package storetest

// addressCases returns the cases of addresses (and customers' default address ids).
func addressCases() []methodCases {
	return nil
}
