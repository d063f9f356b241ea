package storetest

// eventCases returns the cases of the outbox.
func eventCases() []methodCases {
	return nil
}
