// Package e2e holds end-to-end tests: they build examples/ums-api and other
// projects as `deployless build` does (dependency layers installed by uv,
// bytecode compiled by the runtime's Python, deterministic zips), lay out
// every function as Lambda does — its code zip extracted to a task root, its
// layers' zips to an /opt whose python/ follows on sys.path, an empty
// virtualenv of the runtime's interpreter — and invoke it the way the Lambda
// Python runtime would (testdata/invoke.py), with API Gateway REST and
// EventBridge events. TestDeploy deploys the zips with the real SAM CLI
// against moto_server.
package e2e
