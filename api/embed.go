// Package api holds Clientele's OpenAPI 3.1 contract for the native /v1
// surface. The file is hand-written; tests check that every route the
// router serves is in it and that responses validate against it.
package api

import _ "embed"

// OpenAPI is the contents of openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte
