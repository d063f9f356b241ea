package httpapi

// routesAdmin registers this area's routes (none yet).
func (a *API) routesAdmin(h route) {}
