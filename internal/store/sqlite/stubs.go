package sqlite

import "errors"

// errNotImplemented is returned by store methods whose area has not landed.
var errNotImplemented = errors.New("sqlite: not implemented")
