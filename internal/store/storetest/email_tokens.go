package storetest

// emailTokenCases returns the cases of e-mail tokens.
func emailTokenCases() []methodCases {
	return nil
}
