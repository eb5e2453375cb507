// Package e2e holds end-to-end tests: they compile examples/ums-api, install
// every generated Lambda package into its own virtualenv from the package's
// own requirements.txt and invoke it the way the Lambda Python runtime would
// (testdata/invoke.py), with API Gateway REST and EventBridge events.
package e2e
