// Package obs holds the logger interface and per-node metrics the engine
// reports in rule status (rules-api.md §3.7).
package obs

import (
	"sync"
	"sync/atomic"
)

// Logger is satisfied by the EdgeX logging client; tests use a recorder.
type Logger interface {
	Debugf(msg string, args ...interface{})
	Infof(msg string, args ...interface{})
	Warnf(msg string, args ...interface{})
	Errorf(msg string, args ...interface{})
}

// NopLogger discards everything.
type NopLogger struct{}

func (NopLogger) Debugf(string, ...interface{}) {}
func (NopLogger) Infof(string, ...interface{})  {}
func (NopLogger) Warnf(string, ...interface{})  {}
func (NopLogger) Errorf(string, ...interface{}) {}

// Connection status values.
const (
	Disconnected = -1
	Connecting   = 0
	Connected    = 1
)

// Node is the metric set of one topology node (source, operator or sink).
// Counters are atomics because REST readers run concurrently with the rule.
type Node struct {
	Name string // e.g. "source_demo", "op_2_filter", "sink_log_0"
	Kind string // "source", "op", "sink"

	RecordsIn, RecordsOut, Processed atomic.Int64
	LatencyUs, BufferLength          atomic.Int64
	LastInvocation                   atomic.Int64 // epoch ms
	Exceptions                       atomic.Int64
	LastExceptionTime                atomic.Int64
	Dropped, Late, DecodeErrors      atomic.Int64
	Suppressed                       atomic.Int64

	ConnStatus                              atomic.Int64
	ConnLastConnected, ConnLastDisconnected atomic.Int64
	ConnLastTry                             atomic.Int64

	mu           sync.Mutex
	lastExc      string
	lastDiscoMsg string
}

// Exception records a failure at time nowMs.
func (n *Node) Exception(err error, nowMs int64) {
	n.Exceptions.Add(1)
	n.LastExceptionTime.Store(nowMs)
	n.mu.Lock()
	n.lastExc = err.Error()
	n.mu.Unlock()
}

// LastException returns the message of the last exception ("" if none).
func (n *Node) LastException() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.lastExc
}

// SetConnected records a connection state change.
func (n *Node) SetConnected(ok bool, msg string, nowMs int64) {
	if ok {
		n.ConnStatus.Store(Connected)
		n.ConnLastConnected.Store(nowMs)
		return
	}
	n.ConnStatus.Store(Disconnected)
	n.ConnLastDisconnected.Store(nowMs)
	n.mu.Lock()
	n.lastDiscoMsg = msg
	n.mu.Unlock()
}

// LastDisconnectMessage returns the reason of the last disconnection.
func (n *Node) LastDisconnectMessage() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.lastDiscoMsg
}

// KV is one metric in status order.
type KV struct {
	Key string
	Val any
}

// Metrics returns the node's metrics in the order of rules-api.md §3.7, keyed
// "<name>_0_<metric>".
func (n *Node) Metrics() []KV {
	p := n.Name + "_0_"
	out := []KV{
		{p + "records_in_total", n.RecordsIn.Load()},
		{p + "records_out_total", n.RecordsOut.Load()},
		{p + "messages_processed_total", n.Processed.Load()},
		{p + "process_latency_us", n.LatencyUs.Load()},
		{p + "buffer_length", n.BufferLength.Load()},
		{p + "last_invocation", n.LastInvocation.Load()},
		{p + "exceptions_total", n.Exceptions.Load()},
		{p + "last_exception", n.LastException()},
		{p + "last_exception_time", n.LastExceptionTime.Load()},
	}
	if n.Kind == "source" || n.Kind == "sink" {
		out = append(out,
			KV{p + "connection_status", n.ConnStatus.Load()},
			KV{p + "connection_last_connected_time", n.ConnLastConnected.Load()},
			KV{p + "connection_last_disconnected_time", n.ConnLastDisconnected.Load()},
			KV{p + "connection_last_disconnected_message", n.LastDisconnectMessage()},
			KV{p + "connection_last_try_time", n.ConnLastTry.Load()},
		)
	}
	switch n.Kind {
	case "source":
		out = append(out, KV{p + "records_dropped_total", n.Dropped.Load()}, KV{p + "decode_errors_total", n.DecodeErrors.Load()})
	case "op":
		out = append(out, KV{p + "records_dropped_total", n.Dropped.Load()})
		if len(n.Name) > 9 && n.Name[len(n.Name)-9:] == "watermark" {
			out = append(out, KV{p + "late_records_total", n.Late.Load()})
		}
	case "sink":
		if len(n.Name) >= 12 && n.Name[:12] == "sink_command" {
			out = append(out, KV{p + "suppressed_total", n.Suppressed.Load()})
		}
	}
	return out
}
