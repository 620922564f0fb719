package table

import (
	"sync"

	"github.com/oort-rules/oort/rules/row"
)

// Scan is a scan table's content for one rule: the last N rows received.
// Add and Snapshot may run on different goroutines (the table's source and
// the rule's stream side).
type Scan struct {
	mu     sync.Mutex
	retain int
	keyCol string
	// rows is in arrival order. Appends only write past the end of every
	// slice handed out by Snapshot and key-based changes build a new slice,
	// so snapshots stay valid without copying.
	rows    []*row.Row
	version uint64 // bumped by every change, so joins can cache an index
}

// NewScan keeps the last retain rows (RETAIN_SIZE; values below 1 mean 1).
func NewScan(retain int) *Scan {
	if retain < 1 {
		retain = 1
	}
	return &Scan{retain: retain}
}

// SetKey names the table's KEY column, used to find the rows an update,
// upsert or delete applies to when a row carries no "key" metadata.
func (s *Scan) SetKey(col string) *Scan {
	s.mu.Lock()
	s.keyCol = col
	s.mu.Unlock()
	return s
}

// Add applies r: a plain row (or rowkind insert) is appended, dropping the
// oldest beyond the retain size; update replaces the rows with r's key in
// place, upsert does the same or appends, delete removes them. A keyed
// kind whose key cannot be determined acts as insert (delete: ignored).
// Error rows are ignored: a table holds data only.
func (s *Scan) Add(r *row.Row) {
	if r == nil || r.Err != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.version++
	kind := rowKind(r)
	if kind == kindInsert {
		s.appendRow(r)
		return
	}
	k, ok := rowKey(r, s.keyCol)
	h, hok := hashKey(k)
	if !ok || !hok {
		if kind != kindDelete {
			s.appendRow(r)
		}
		return
	}
	s.applyKeyed(kind, h, r)
}

func (s *Scan) appendRow(r *row.Row) {
	s.rows = append(s.rows, r)
	if len(s.rows) > s.retain {
		s.rows = s.rows[len(s.rows)-s.retain:]
	}
}

func (s *Scan) applyKeyed(kind, h string, r *row.Row) {
	next := make([]*row.Row, 0, len(s.rows)+1)
	matched := false
	for _, old := range s.rows {
		if !s.sameKey(old, h) {
			next = append(next, old)
			continue
		}
		matched = true
		if kind != kindDelete {
			next = append(next, r)
		}
	}
	s.rows = next
	if !matched && kind == kindUpsert {
		s.appendRow(r)
	}
}

func (s *Scan) sameKey(r *row.Row, h string) bool {
	k, ok := rowKey(r, s.keyCol)
	if !ok {
		return false
	}
	oh, ok := hashKey(k)
	return ok && oh == h
}

// Snapshot returns the rows in arrival order; callers must not modify them.
func (s *Scan) Snapshot() []*row.Row {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rows[:len(s.rows):len(s.rows)]
}

// Len is the number of rows held.
func (s *Scan) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.rows)
}

// SnapshotVersion returns the content with its version: equal versions mean
// equal content.
func (s *Scan) SnapshotVersion() ([]*row.Row, uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rows, s.version
}
