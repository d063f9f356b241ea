package storetest

// paymentMethodCases returns the cases of saved payment methods.
func paymentMethodCases() []methodCases {
	return nil
}
