// Command oort is the Oort rules engine: an EdgeX application service that
// runs eKuiper-compatible SQL rules. With a CLI verb as its first argument
// (oort show rules, oort create stream ...) it is the REST client instead.
package main

import (
	"os"

	"github.com/oort-rules/oort/app/cli"
)

// Version is set at build time (-ldflags "-X main.Version=...").
var Version = "0.1.0-dev"

func main() {
	if len(os.Args) > 1 && isCLIVerb(os.Args[1]) {
		os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(runService())
}

// isCLIVerb tells CLI use from service flags (which start with '-').
func isCLIVerb(s string) bool {
	switch s {
	case "create", "show", "describe", "drop", "start", "stop", "restart", "getstatus", "gettopo",
		"validate", "explain", "import", "export", "query", "register", "help", "--help", "-h", "version":
		return true
	}
	return false
}
