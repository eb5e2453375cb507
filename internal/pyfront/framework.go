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
	// reader starts reading one feature (all its modules).
	reader() routeReader
}

// routeReader reads one feature's routers and routes, across the modules
// of the feature. readFeature offers it every module-level assignment of
// every module first (define), then every statement in source order,
// module by module, before looking for deployless calls in it.
type routeReader interface {
	// define is offered each assignment (router definitions).
	define(sc *scope, st *Assign, idx int)
	// call is offered each call statement and reports whether it is the
	// framework's (a call on a router); deployless calls are then not
	// looked for in it.
	call(sc *scope, c *Call, idx int) bool
	// decorator is offered each decorator of a def and reports whether it
	// belongs to one of the feature's routers.
	decorator(sc *scope, dec Expr, idx int, fn string) bool
	// hidden is offered what deployless does not evaluate (the calls inside
	// a loop, an if, a def's body; a decorator applied by a call): a
	// registration among them is an E10 that says where it is.
	hidden(sc *scope, x Expr, idx int, where string)
	// finish returns the routers in definition order and the routes with
	// their prefixes applied, reporting the rules API Gateway cannot route.
	finish(sc *scope) ([]*Blueprint, []*Route)
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
