// Package api holds Clientele's OpenAPI 3.1 contract for the native
// surfaces. It is hand-written: openapi.yaml has the document's head and the
// shared components, and each file in parts/ adds the paths (and any
// components) of one area, so areas can be written side by side. Bundle
// merges them into the one document that is served and that tests check.
package api

import (
	"embed"
	"fmt"
	"io/fs"
	"reflect"
	"sort"

	"go.yaml.in/yaml/v3"
)

//go:embed openapi.yaml parts/*.yaml
var files embed.FS

// OpenAPI is the bundled document (YAML).
var OpenAPI = mustBundle()

func mustBundle() []byte {
	b, err := Bundle(files)
	if err != nil {
		panic("api: " + err.Error())
	}
	return b
}

// Bundle merges openapi.yaml and parts/*.yaml from fsys. Two parts may add
// operations to one path, but never the same operation or two different
// components of one name.
func Bundle(fsys fs.FS) ([]byte, error) {
	doc, err := load(fsys, "openapi.yaml")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, "parts/*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for _, n := range names {
		part, err := load(fsys, n)
		if err != nil {
			return nil, err
		}
		for key, v := range part {
			switch key {
			case "paths":
				if err := mergeInto(doc, "paths", v, 2, n); err != nil {
					return nil, err
				}
			case "components":
				if err := mergeInto(doc, "components", v, 2, n); err != nil {
					return nil, err
				}
			case "tags":
				tags, _ := doc["tags"].([]any)
				more, _ := v.([]any)
				doc["tags"] = append(tags, more...)
			default:
				return nil, fmt.Errorf("%s: a part may only hold paths, components and tags, not %q", n, key)
			}
		}
	}
	return yaml.Marshal(doc)
}

func load(fsys fs.FS, name string) (map[string]any, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

// mergeInto merges src into dst[key], depth levels deep (paths → path →
// operation; components → kind → name), refusing to overwrite a different value.
func mergeInto(dst map[string]any, key string, src any, depth int, file string) error {
	sm, ok := src.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: %s must be a mapping", file, key)
	}
	dm, _ := dst[key].(map[string]any)
	if dm == nil {
		dm = map[string]any{}
		dst[key] = dm
	}
	for k, v := range sm {
		cur, exists := dm[k]
		switch {
		case !exists:
			dm[k] = v
		case depth > 1:
			if err := mergeInto(dm, k, v, depth-1, file); err != nil {
				return err
			}
		case !reflect.DeepEqual(cur, v):
			return fmt.Errorf("%s: %s/%s is already defined differently", file, key, k)
		}
	}
	return nil
}
