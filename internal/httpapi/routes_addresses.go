package httpapi

// routesAddresses registers this area's routes (none yet).
func (a *API) routesAddresses(h route) {}
