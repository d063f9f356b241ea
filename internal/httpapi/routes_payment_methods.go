package httpapi

// routesPaymentMethods registers this area's routes (none yet).
func (a *API) routesPaymentMethods(h route) {}
