// Command deployless compiles a Flask feature project into an AWS SAM
// template and one Lambda package per function.
package main

import (
	"os"

	"github.com/deployless/deployless/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
