package storetest

// adminCustomerCases returns the cases of admin customer search.
func adminCustomerCases() []methodCases {
	return nil
}
