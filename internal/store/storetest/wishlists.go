package storetest

// wishlistCases returns the cases of wishlists and items.
func wishlistCases() []methodCases {
	return nil
}
