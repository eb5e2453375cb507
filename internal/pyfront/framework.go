package pyfront

// framework is the seam between the generic evaluator and one web
// framework's way of declaring routes. flask.go implements it; FastAPI's
// APIRouter will sit beside it.
type framework interface {
	// extract fills f.Blueprints, f.Routes, f.Configure, f.Shared and
	// f.Functions from the parsed routes.py module.
	extract(sc *scope, f *Feature)
}

var frameworks = map[string]framework{
	"flask": flaskFramework{},
}
