package httpapi

// routesWishlists registers this area's routes (none yet).
func (a *API) routesWishlists(h route) {}
