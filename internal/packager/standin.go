package packager

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/deployless/deployless/internal/model"
)

// standin returns the files that stand in for feature f in the other
// features' packages: each module of f that defines Blueprints is replaced
// by one that defines the same Blueprints (variable, name, url_prefix,
// nesting) with every URL rule under its real endpoint, bound to a view
// that answers 404. The app factory can then import and register them, and
// url_for("users.profile") builds the right URL in every package, while
// none of f's code (its models, its imports) is shipped. f's routes module
// and package always exist, re-exporting the Blueprints, so any import path
// the app uses to reach them resolves.
//
// Written by hand: this is code generation of a few fixed statements, and
// every value is a JSON string literal, which is a valid Python literal.
func standin(f *model.Feature) []File {
	byFile := map[string][]model.Router{}
	for _, r := range f.Routers {
		if strings.HasPrefix(r.File, f.Dir+"/") { // a shared module's Blueprint ships for real
			byFile[r.File] = append(byFile[r.File], r)
		}
	}
	files := map[string]string{}
	pkgInit := f.Dir + "/__init__.py"
	files[pkgInit] = ""
	var order []string
	for file := range byFile {
		order = append(order, file)
	}
	sort.Strings(order)
	where := map[string]model.Router{} // by key
	for _, r := range f.Routers {
		where[r.Module+":"+r.Var] = r
	}
	fastapi := f.Framework == "fastapi"
	for _, file := range order {
		var b strings.Builder
		b.WriteString(standinHeader(f))
		for _, r := range byFile[file] {
			if fastapi {
				b.WriteString(fastapiStandin(r))
				continue
			}
			b.WriteString("\n" + r.Var + " = _Blueprint(" + lit(r.Name) + ", __name__")
			if r.URLPrefix != "" {
				b.WriteString(", url_prefix=" + lit(r.URLPrefix))
			}
			b.WriteString(")\n")
			for _, rt := range r.Routes {
				b.WriteString(r.Var + ".add_url_rule(" + lit(rt.Rule) + ", endpoint=" + lit(rt.Endpoint) +
					", view_func=_served_elsewhere, methods=" + litList(rt.Methods) + ")\n")
			}
		}
		// Nested Blueprints are registered where their parent is defined;
		// one defined in another module is imported under a name of its
		// own (FastAPI code names every router `router`).
		for i, r := range f.Routers {
			parent, ok := where[r.Parent]
			if r.Parent == "" || !ok || parent.File != file {
				continue
			}
			child := r.Var
			if r.File != file {
				child = fmt.Sprintf("_child_%d", i)
				b.WriteString("from " + r.Module + " import " + r.Var + " as " + child + "  # noqa: E402\n")
			}
			if fastapi {
				b.WriteString(parent.Var + ".include_router(" + child)
				if r.RegPrefix != nil {
					b.WriteString(", prefix=" + lit(*r.RegPrefix))
				}
			} else {
				b.WriteString(parent.Var + ".register_blueprint(" + child)
				if r.RegPrefix != nil {
					b.WriteString(", url_prefix=" + lit(*r.RegPrefix))
				}
			}
			b.WriteString(")\n")
		}
		files[file] = b.String()
		// Folders between the feature's and the module's are packages.
		for d := path.Dir(file); strings.HasPrefix(d, f.Dir+"/"); d = path.Dir(d) {
			if _, ok := files[d+"/__init__.py"]; !ok {
				files[d+"/__init__.py"] = ""
			}
		}
	}
	// The package and the routes module re-export what is defined
	// elsewhere: `from app.features.users import bp` works as it does when
	// the real package re-exports its Blueprint.
	for _, file := range []string{pkgInit, f.RoutesPath} {
		if _, ok := byFile[file]; ok {
			continue
		}
		var b strings.Builder
		b.WriteString(standinHeader(f))
		exported := map[string]bool{} // the first router of a name wins: routes.py's come first
		for _, r := range f.Routers {
			if !exported[r.Var] {
				exported[r.Var] = true
				b.WriteString("from " + r.Module + " import " + r.Var + "  # noqa: E402,F401\n")
			}
		}
		files[file] = b.String()
	}
	var out []File
	for p, body := range files {
		out = append(out, File{Path: p, Data: []byte(body), Mode: 0o644})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// fastapiStandin defines a FastAPI router of the stand-in: an APIRouter
// (or a FastAPI app, when the feature defines one) with its prefix and
// every route at its real path and name, answering 404, out of the schema.
// Nested routers are included after their routes are added, as FastAPI
// copies routes at include_router.
func fastapiStandin(r model.Router) string {
	var b strings.Builder
	if r.App {
		b.WriteString("\n" + r.Var + " = _FastAPI()\n")
	} else {
		b.WriteString("\n" + r.Var + " = _APIRouter(")
		if r.URLPrefix != "" {
			b.WriteString("prefix=" + lit(r.URLPrefix))
		}
		b.WriteString(")\n")
	}
	for i, rt := range r.Routes {
		// An explicit operation_id: FastAPI then never calls the app's
		// generate_unique_id_function on a stand-in route, which may read
		// what a stand-in does not have (its tags).
		opID := fmt.Sprintf("deployless-standin-%s-%d", r.Var, i)
		b.WriteString(r.Var + ".add_api_route(" + lit(rt.Rule) + ", _served_elsewhere, name=" + lit(rt.Endpoint) +
			", methods=" + litList(rt.Methods) + ", operation_id=" + lit(opID) + ", include_in_schema=False)\n")
	}
	return b.String()
}

func standinHeader(f *model.Feature) string {
	if f.Framework == "fastapi" {
		return "# Generated by deployless — a stand-in for feature " + lit(f.Name) + ", which other\n" +
			"# functions serve. Its routers are defined here with their real prefixes,\n" +
			"# paths and names, so the app can include them and url_for() builds their\n" +
			"# URLs; a request that reaches one of them here answers 404.\n" +
			"from fastapi import APIRouter as _APIRouter  # noqa: F401\n" +
			"from fastapi import FastAPI as _FastAPI  # noqa: F401\n" +
			"from fastapi import HTTPException as _HTTPException\n\n\n" +
			"def _served_elsewhere():\n" +
			"    raise _HTTPException(status_code=404)\n\n"
	}
	return "# Generated by deployless — a stand-in for feature " + lit(f.Name) + ", which other\n" +
		"# functions serve. Its Blueprints are defined here with their real names and\n" +
		"# URL rules, so the app can register them and url_for() builds their URLs;\n" +
		"# a request that reaches one of them here answers 404.\n" +
		"from flask import Blueprint as _Blueprint\n" +
		"from flask import abort as _abort\n\n\n" +
		"def _served_elsewhere(*_args, **_kwargs):\n" +
		"    _abort(404)\n\n"
}

// lit is s as a Python string literal.
func lit(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// litList is a Python list literal of strings.
func litList(items []string) string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = lit(s)
	}
	return "[" + strings.Join(out, ", ") + "]"
}
