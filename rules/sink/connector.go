// Package sink runs a rule's actions: the common pipeline of rules-api.md §2.2
// (omitIfEmpty, dataTemplate, dataField, fields/excludeFields, encode, cache)
// in front of connectors. Connectors that are not EdgeX-specific live here;
// the edgex and command connectors live in functions/ and register through the
// same Factory type.
package sink

import (
	"context"
	"errors"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/row"
)

// Connector is one action's transport. Open is called when the rule starts
// (an error stops the rule "by error"); Close when it stops.
type Connector interface {
	Open(ctx context.Context) error
	Close() error
}

// ByteConnector receives encoded payloads (mqtt, rest, log, nop). first is the
// first row of the message, the input of dynamic properties such as a topic
// template.
type ByteConnector interface {
	Connector
	SendBytes(ctx context.Context, payload []byte, first *row.Row) error
}

// RowConnector receives structured rows after the common pipeline (edgex,
// memory, command). Each row keeps column order and provenance.
type RowConnector interface {
	Connector
	SendRows(ctx context.Context, rows []*row.Row) error
}

// Redirector is implemented by connectors that can send to another
// destination (resendDestination): a topic for mqtt and memory, a URL for
// rest. Redirect returns a connector sharing the receiver's connection.
type Redirector interface {
	Redirect(dest *Dyn) (Connector, error)
}

// Env is what a factory may use to build a connector.
type Env struct {
	RuleID      string
	ActionIndex int
	Type        string // sink type as written in the rule ("log", "edgex"...)
	Logger      obs.Logger
	Clock       clock.Clock
	Node        *obs.Node // the sink node's metrics (connection status, suppressed ...)
	Options     RuleOptions
	// Resource looks up a named configuration section RulesEngine.Sinks.<type>.<name>
	// (resourceId / connectionSelector); nil when none is configured.
	Resource func(sinkType, name string) (map[string]any, bool)
	// CacheDir is where this action's cache spills and persists pages
	// (enableCache); "" keeps the whole cache in memory and loses it at stop.
	// The app gives each action its own directory and removes it when the
	// rule is deleted.
	CacheDir string
	// Secrets reads a named secret (the EdgeX secret provider) for the
	// secretName property; nil when no provider is available.
	Secrets func(name string) (map[string]string, error)
}

// RuleOptions are the rule options a sink needs.
type RuleOptions struct {
	SendNilField bool
}

// Factory builds a connector from the action's properties (after resourceId
// merging). Unknown properties must be ignored; invalid ones are an error.
type Factory func(props map[string]any, env *Env) (Connector, error)

// Recoverable marks errors worth caching and retrying (I/O, timeouts, 5xx).
type Recoverable struct{ Err error }

func (e *Recoverable) Error() string { return e.Err.Error() }
func (e *Recoverable) Unwrap() error { return e.Err }

// IsRecoverable reports whether err (or its chain) is Recoverable.
func IsRecoverable(err error) bool {
	var r *Recoverable
	return errors.As(err, &r)
}
