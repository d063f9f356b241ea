package storetest

// creditCases returns the cases of store credit and gift cards.
func creditCases() []methodCases {
	return nil
}
