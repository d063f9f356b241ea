package httpapi

// routesGuests registers this area's routes (none yet).
func (a *API) routesGuests(h route) {}
