package pyfront

import (
	"sort"
	"strings"
)

// framework is the seam between the framework-neutral reading of a
// routes.py (feature.go: deployless calls and decorators, the checks that
// tie them to routes) and one web framework's way of declaring routers and
// routes. flask.go implements it; FastAPI's APIRouter will sit beside it.
type framework interface {
	// name is the framework's name in messages ("Flask").
	name() string
	// router is its word for a router in messages ("Blueprint").
	router() string
	// reader starts reading one routes.py module.
	reader(sc *scope) routeReader
}

// routeReader reads one module's routers and routes. readFeature offers it
// every module-level statement, in source order, before looking for
// deployless calls in it.
type routeReader interface {
	// assign is offered each assignment (router definitions).
	assign(st *Assign, idx int)
	// call is offered each call statement and reports whether it is the
	// framework's (a registration call on a router); deployless calls are
	// then not looked for in it.
	call(c *Call, idx int) bool
	// decorator is offered each decorator of a def and reports whether it
	// is a route decorator of one of the module's routers.
	decorator(dec Expr, idx int, fn string) bool
	// finish returns the routers in source order and the routes with their
	// prefixes applied, reporting the rules API Gateway cannot route.
	finish() ([]*Blueprint, []*Route)
}

var frameworks = map[string]framework{
	"flask": flaskFramework{},
}

// frameworkNames lists the supported frameworks for messages, sorted.
func frameworkNames() string {
	names := make([]string, 0, len(frameworks))
	for n := range frameworks {
		names = append(names, n)
	}
	sort.Strings(names) // sorted for determinism
	return strings.Join(names, ", ")
}
