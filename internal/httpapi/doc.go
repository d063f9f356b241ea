// Package httpapi is Clientele's native HTTP surface: /v1 (customers and
// their sessions), the well-known JWKS and health routes. It translates JSON
// to core calls and renders every failure as RFC 9457 problem+json.
package httpapi
