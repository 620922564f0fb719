// Package cli is the `oort` command-line client of rules-api.md §4. It
// mirrors eKuiper's `kuiper` commands but talks to the REST API, so it works
// remotely and through the same authentication.
package cli

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
)

// Exit codes.
const (
	ExitOK          = 0
	ExitError       = 1
	ExitUnsupported = 2 // also usage errors
)

// DefaultHost is the rules-engine port the EdgeX UI and compose files use.
const DefaultHost = "http://localhost:59720"

// Env is what a run of the CLI talks to; Main fills it from the process.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string // nil means no environment
	HTTPClient     *http.Client        // nil means a client without overall timeout
}

// Main runs the CLI with args (without the program name) and returns the
// exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	return Run(args, Env{Stdin: os.Stdin, Stdout: stdout, Stderr: stderr, Getenv: os.Getenv})
}

// cli is one run. out is shared by the query prompt and the goroutine that
// prints results, hence the lock.
type cli struct {
	api   *client
	in    io.Reader
	outMu sync.Mutex
	out   io.Writer
	errw  io.Writer
	// querySeq numbers the trial rules of this run's query lines.
	querySeq atomic.Int64
}

// Run is Main with an explicit environment, for tests and embedding.
func Run(args []string, env Env) int {
	host, rest, err := hostFlag(args, env.Getenv)
	c := &cli{in: env.Stdin, out: env.Stdout, errw: env.Stderr}
	if c.in == nil {
		c.in = strings.NewReader("")
	}
	if err != nil {
		return c.usage(err.Error())
	}
	hc := env.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	c.api = &client{base: host, http: hc}
	return c.dispatch(rest)
}

// hostFlag extracts --host (or -host, with "=" or a separate value) from
// anywhere in args; OORT_HOST and DefaultHost are the fallbacks.
func hostFlag(args []string, getenv func(string) string) (string, []string, error) {
	host := ""
	if getenv != nil {
		host = getenv("OORT_HOST")
	}
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--host" || a == "-host":
			if i+1 >= len(args) {
				return "", nil, fmt.Errorf("flag %s needs a value", a)
			}
			host = args[i+1]
			i++
		case strings.HasPrefix(a, "--host=") || strings.HasPrefix(a, "-host="):
			host = a[strings.Index(a, "=")+1:]
		default:
			rest = append(rest, a)
		}
	}
	if host == "" {
		host = DefaultHost
	}
	if !strings.Contains(host, "://") {
		host = "http://" + host
	}
	return strings.TrimRight(host, "/"), rest, nil
}

// println writes one line of output.
func (c *cli) println(s string) {
	c.outMu.Lock()
	defer c.outMu.Unlock()
	fmt.Fprintln(c.out, s)
}

// fail prints an error message and returns ExitError.
func (c *cli) fail(err error) int {
	fmt.Fprintln(c.errw, err.Error())
	return ExitError
}

func (c *cli) usage(msg string) int {
	if msg != "" {
		fmt.Fprintln(c.errw, msg)
	}
	fmt.Fprint(c.errw, usageText)
	return ExitUnsupported
}

func (c *cli) unsupported(args []string) int {
	fmt.Fprintf(c.errw, "%s: not supported by Oort\n", strings.Join(args, " "))
	return ExitUnsupported
}

const usageText = `Usage: oort [--host URL] <command>
  create stream|table <name> '<(fields) WITH (options)>' | create stream|table -f <file>
  create rule <id> '<json>' | create rule <id> -f <file>
  show streams|tables|rules
  describe stream|table <name> [-json] | describe rule <id>
  drop stream|table|rule <name>
  start|stop|restart rule <id>
  getstatus rule <id> | gettopo rule <id> | explain rule <id>
  validate rule <id> '<json>' | validate rule <id> -f <file>
  import ruleset -f <file> | export ruleset <file>
  query
The host defaults to $OORT_HOST, then ` + DefaultHost + `.
`
