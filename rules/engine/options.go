package engine

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// RuleOptions are the rule options of rules-api.md §1.3.
type RuleOptions struct {
	IsEventTime          bool
	LateTolerance        time.Duration
	WatermarkIdleTimeout time.Duration
	Concurrency          int
	BufferLength         int
	DisableBufferFull    bool
	SendMetaToSink       bool
	SendNilField         bool
	SendError            bool
	Qos                  int
	CheckpointInterval   time.Duration
	Restart              RestartStrategy
	Debug                bool
	ForceExitTimeout     time.Duration
	SendSlidingTwice     bool
	Cron, Duration       string
}

// RestartStrategy is the options.restartStrategy object.
type RestartStrategy struct {
	Attempts     int
	Delay        time.Duration
	Multiplier   float64
	MaxDelay     time.Duration
	JitterFactor float64
}

// DefaultOptions are the service-wide defaults.
func DefaultOptions() RuleOptions {
	return RuleOptions{LateTolerance: time.Second, Concurrency: 1, BufferLength: 1024,
		CheckpointInterval: 300 * time.Second, ForceExitTimeout: 5 * time.Second,
		Restart: RestartStrategy{Delay: time.Second, Multiplier: 2, MaxDelay: 30 * time.Second, JitterFactor: 0.1}}
}

// parseOptions merges raw options over the defaults; null means default.
func parseOptions(raw map[string]json.RawMessage) (RuleOptions, error) {
	o := DefaultOptions()
	setters := map[string]func(json.RawMessage) error{
		"isEventTime":              boolOpt(&o.IsEventTime),
		"lateTolerance":            durOpt(&o.LateTolerance),
		"watermarkIdleTimeout":     durOpt(&o.WatermarkIdleTimeout),
		"concurrency":              intOpt(&o.Concurrency),
		"bufferLength":             intOpt(&o.BufferLength),
		"disableBufferFullDiscard": boolOpt(&o.DisableBufferFull),
		"sendMetaToSink":           boolOpt(&o.SendMetaToSink),
		"sendNilField":             boolOpt(&o.SendNilField),
		"sendError":                boolOpt(&o.SendError),
		"qos":                      intOpt(&o.Qos),
		"checkpointInterval":       durOpt(&o.CheckpointInterval),
		"debug":                    boolOpt(&o.Debug),
		"forceExitTimeout":         durOpt(&o.ForceExitTimeout),
		"restartStrategy":          restartOpt(&o.Restart),
		"cron":                     strOpt(&o.Cron),
		"duration":                 strOpt(&o.Duration),
		"planOptimizeStrategy":     planOpt(&o.SendSlidingTwice),
	}
	for k, v := range raw {
		set, ok := setters[k]
		if !ok || isNull(v) {
			continue // accepted and ignored: logFilename, notifySub, experiment, ...
		}
		if err := set(v); err != nil {
			return o, fmt.Errorf("%s: %w", k, err)
		}
	}
	return o, o.check()
}

// check validates the options and normalises zero sizes to their defaults.
func (o *RuleOptions) check() error {
	switch {
	case o.Concurrency < 0:
		return fmt.Errorf("concurrency must not be negative")
	case o.BufferLength < 0:
		return fmt.Errorf("bufferLength must not be negative")
	case o.LateTolerance < 0:
		return fmt.Errorf("lateTolerance must not be negative")
	case o.Restart.Attempts < 0:
		return fmt.Errorf("restartStrategy.attempts must not be negative")
	case o.Qos < 0 || o.Qos > 2:
		return fmt.Errorf("qos must be 0, 1 or 2")
	}
	if o.BufferLength == 0 {
		o.BufferLength = 1024
	}
	return nil
}

func isNull(v json.RawMessage) bool { return strings.TrimSpace(string(v)) == "null" }

// scalarOpt decodes an option given as a JSON number, bool or string (the
// EdgeX UI and configuration providers send numbers as strings).
func scalarOpt[T any](p *T, what string, fromJSON func(any) (T, bool), fromStr func(string) (T, error)) func(json.RawMessage) error {
	return func(v json.RawMessage) error {
		var s any
		if err := json.Unmarshal(v, &s); err != nil {
			return err
		}
		if x, ok := s.(string); ok {
			t, err := fromStr(x)
			if err != nil {
				return fmt.Errorf("expect %s, found %q", what, x)
			}
			*p = t
			return nil
		}
		t, ok := fromJSON(s)
		if !ok {
			return fmt.Errorf("expect %s, found %s", what, v)
		}
		*p = t
		return nil
	}
}

func boolOpt(p *bool) func(json.RawMessage) error {
	return scalarOpt(p, "a boolean", func(x any) (bool, bool) { b, ok := x.(bool); return b, ok }, strconv.ParseBool)
}

func intOpt(p *int) func(json.RawMessage) error {
	return scalarOpt(p, "an integer", func(x any) (int, bool) { f, ok := x.(float64); return int(f), ok }, strconv.Atoi)
}

// durOpt accepts milliseconds as a number or a Go duration string.
func durOpt(p *time.Duration) func(json.RawMessage) error {
	return scalarOpt(p, "a duration", func(x any) (time.Duration, bool) {
		f, ok := x.(float64)
		return time.Duration(f) * time.Millisecond, ok
	}, func(s string) (time.Duration, error) {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.Duration(n) * time.Millisecond, nil
		}
		return time.ParseDuration(s)
	})
}

func strOpt(p *string) func(json.RawMessage) error {
	return func(v json.RawMessage) error { return json.Unmarshal(v, p) }
}

func restartOpt(p *RestartStrategy) func(json.RawMessage) error {
	return func(v json.RawMessage) error {
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(v, &raw); err != nil {
			return err
		}
		set := map[string]func(json.RawMessage) error{
			"attempts": intOpt(&p.Attempts), "delay": durOpt(&p.Delay), "maxDelay": durOpt(&p.MaxDelay),
			"multiplier": floatOpt(&p.Multiplier), "jitterFactor": floatOpt(&p.JitterFactor),
		}
		for k, x := range raw {
			if f, ok := set[k]; ok && !isNull(x) {
				if err := f(x); err != nil {
					return fmt.Errorf("%s: %w", k, err)
				}
			}
		}
		return nil
	}
}

func floatOpt(p *float64) func(json.RawMessage) error {
	return func(v json.RawMessage) error { return json.Unmarshal(v, p) }
}

func planOpt(twice *bool) func(json.RawMessage) error {
	return func(v json.RawMessage) error {
		var raw struct {
			WindowOption struct {
				EnableSendSlidingWindowTwice bool `json:"enableSendSlidingWindowTwice"`
			} `json:"windowOption"`
		}
		if err := json.Unmarshal(v, &raw); err != nil {
			return err
		}
		*twice = raw.WindowOption.EnableSendSlidingWindowTwice
		return nil
	}
}
