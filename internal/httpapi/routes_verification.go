package httpapi

// routesVerification registers this area's routes (none yet).
func (a *API) routesVerification(h route) {}
