package httpapi

// routesCredit registers this area's routes (none yet).
func (a *API) routesCredit(h route) {}
