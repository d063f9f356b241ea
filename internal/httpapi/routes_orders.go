package httpapi

// routesOrders registers this area's routes (none yet).
func (a *API) routesOrders(h route) {}
