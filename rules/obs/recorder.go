package obs

import (
	"fmt"
	"strings"
	"sync"
)

// Recorder is a Logger that keeps every line as "LEVEL message", for tests
// that assert on what was logged. It is safe for concurrent use.
type Recorder struct {
	mu    sync.Mutex
	lines []string
}

func (r *Recorder) add(level, msg string, args ...interface{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, level+" "+fmt.Sprintf(msg, args...))
}

func (r *Recorder) Debugf(msg string, args ...interface{}) { r.add("DEBUG", msg, args...) }
func (r *Recorder) Infof(msg string, args ...interface{})  { r.add("INFO", msg, args...) }
func (r *Recorder) Warnf(msg string, args ...interface{})  { r.add("WARN", msg, args...) }
func (r *Recorder) Errorf(msg string, args ...interface{}) { r.add("ERROR", msg, args...) }

// Lines returns a copy of the lines logged so far.
func (r *Recorder) Lines() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.lines...)
}

// Text is the lines joined by newlines.
func (r *Recorder) Text() string { return strings.Join(r.Lines(), "\n") }
