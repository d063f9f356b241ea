package httpapi_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/clientele/clientele/api"
	"github.com/clientele/clientele/internal/httpapi"
	"github.com/clientele/clientele/internal/testkit"
)

var (
	specOnce   sync.Once
	specDoc    *openapi3.T
	specRouter routers.Router
	specErr    error
)

func loadSpec(t testing.TB) (*openapi3.T, routers.Router) {
	t.Helper()
	specOnce.Do(func() {
		// POST /admin/v1/imports takes an export file as it is: the
		// validator checks such bodies as the strings the spec says.
		for _, ct := range []string{"application/x-ndjson", "application/jsonl", "application/xml", "text/xml", "application/octet-stream"} {
			openapi3filter.RegisterBodyDecoder(ct, openapi3filter.PlainBodyDecoder)
		}
		loader := openapi3.NewLoader()
		specDoc, specErr = loader.LoadFromData(api.OpenAPI)
		if specErr != nil {
			return
		}
		if specErr = specDoc.Validate(context.Background()); specErr != nil {
			return
		}
		// Match routes whatever host the test server listens on.
		specDoc.Servers = nil
		specRouter, specErr = legacy.NewRouter(specDoc)
	})
	if specErr != nil {
		t.Fatalf("openapi.yaml: %v", specErr)
	}
	return specDoc, specRouter
}

// contractValidator checks every exchange a test makes against the spec:
// the route must be documented and the response (status, headers, body)
// must match it.
func contractValidator(t testing.TB) func(testing.TB, *http.Request, []byte, *http.Response, []byte) {
	_, router := loadSpec(t)
	return func(t testing.TB, req *http.Request, reqBody []byte, res *http.Response, resBody []byte) {
		t.Helper()
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Errorf("%s %s is not in openapi.yaml: %v", req.Method, req.URL.Path, err)
			return
		}
		opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
		if len(reqBody) > 0 && res.StatusCode < 400 {
			req.Body = io.NopCloser(bytes.NewReader(reqBody))
			if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
				t.Errorf("request %s %s does not match openapi.yaml: %v", req.Method, req.URL.Path, err)
			}
		}
		out := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
			Body: io.NopCloser(bytes.NewReader(resBody)), Options: opts,
		}
		if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
			t.Errorf("response %d to %s %s does not match openapi.yaml: %v\n%s", res.StatusCode, req.Method, req.URL.Path, err, resBody)
		}
	}
}

// Every route the router serves is documented, and every documented
// operation is served.
func TestEveryRouteIsInTheSpec(t *testing.T) {
	doc, _ := loadSpec(t)
	k := testkit.New(t)
	a := httpapi.New(k.App.Service, httpapi.Options{})
	served := map[string]bool{}
	for _, p := range a.Patterns() {
		method, path, _ := strings.Cut(p, " ")
		served[method+" "+path] = true
		item := doc.Paths.Find(path)
		if item == nil || item.GetOperation(method) == nil {
			t.Errorf("route %s is not in openapi.yaml", p)
		}
	}
	var documented []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	sort.Strings(documented)
	for _, d := range documented {
		if !served[d] {
			t.Errorf("openapi.yaml documents %s, which the router does not serve", d)
		}
	}
}
