package api

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestBundleMergesParts(t *testing.T) {
	fsys := fstest.MapFS{
		"openapi.yaml":    {Data: []byte("openapi: 3.1.0\npaths:\n  /a:\n    get: {summary: a}\ncomponents:\n  schemas:\n    A: {type: string}\n")},
		"parts/b.yaml":    {Data: []byte("paths:\n  /a:\n    post: {summary: a2}\n  /b:\n    get: {summary: b}\ncomponents:\n  schemas:\n    B: {type: string}\n")},
		"parts/same.yaml": {Data: []byte("components:\n  schemas:\n    A: {type: string}\n")},
	}
	out, err := Bundle(fsys)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/b:", "a2", "B:", "A:"} {
		if !strings.Contains(string(out), want) {
			t.Fatalf("bundle lacks %q:\n%s", want, out)
		}
	}
}

func TestBundleRefusesConflicts(t *testing.T) {
	for name, part := range map[string]string{
		"same_operation":   "paths:\n  /a:\n    get: {summary: other}\n",
		"schema_redefined": "components:\n  schemas:\n    A: {type: integer}\n",
		"unknown_key":      "info: {title: x}\n",
	} {
		t.Run("case="+name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"openapi.yaml": {Data: []byte("openapi: 3.1.0\npaths:\n  /a:\n    get: {summary: a}\ncomponents:\n  schemas:\n    A: {type: string}\n")},
				"parts/x.yaml": {Data: []byte(part)},
			}
			if _, err := Bundle(fsys); err == nil {
				t.Fatal("conflict accepted")
			}
		})
	}
}
