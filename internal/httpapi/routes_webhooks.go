package httpapi

// routesWebhooks registers the webhook admin API: endpoints with event
// filters, their delivery log, and replay.
func (a *API) routesWebhooks(h route) {
	h("POST /admin/v1/webhooks", a.admin(a.adminCreateWebhook))
	h("GET /admin/v1/webhooks", a.admin(a.adminListWebhooks))
	h("GET /admin/v1/webhooks/{id}", a.admin(a.adminGetWebhook))
	h("PATCH /admin/v1/webhooks/{id}", a.admin(a.adminPatchWebhook))
	h("DELETE /admin/v1/webhooks/{id}", a.admin(a.adminDeleteWebhook))
	h("GET /admin/v1/webhooks/{id}/deliveries", a.admin(a.adminListWebhookDeliveries))
	h("POST /admin/v1/webhooks/{id}/replay", a.admin(a.adminReplayWebhooks))
}
