package httpapi

// routesGroups registers this area's routes (none yet).
func (a *API) routesGroups(h route) {}
