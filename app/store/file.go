// Package store implements engine.Store: a file store in the data directory
// (the default, edgex.md §6) and a Redis store.
package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/oort-rules/oort/rules/engine"
)

// ErrClosed is returned by every operation on a closed store.
var ErrClosed = errors.New("store is closed")

// bucketName keeps bucket names usable as file names (and Redis key parts).
var bucketName = regexp.MustCompile(`^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$`)

func checkBucket(bucket string) error {
	if !bucketName.MatchString(bucket) {
		return fmt.Errorf("store: invalid bucket name %q: use letters, digits, '_', '-' and inner dots", bucket)
	}
	return nil
}

const (
	fileSuffix = ".json"
	// Temp files start with a dot and do not end in ".json", so a crash
	// between write and rename leaves a file that loading never reads.
	tempPrefix = "."
	tempMarker = ".json.tmp-"
)

// FileStore keeps one JSON file per bucket under dir, loaded at open and
// rewritten atomically on every change. It is safe for concurrent use; writes
// are serialised so the files always match memory.
type FileStore struct {
	dir     string
	mu      sync.RWMutex
	buckets map[string]map[string][]byte
	closed  bool
}

var _ engine.Store = (*FileStore)(nil)

// OpenFile opens (creating if needed) the store in dir and loads every bucket.
// Stale temp files of an interrupted write are removed.
func OpenFile(dir string) (*FileStore, error) {
	if dir == "" {
		return nil, errors.New("store: open file store: empty directory")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("store: create directory %s: %w", dir, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("store: read directory %s: %w", dir, err)
	}
	s := &FileStore{dir: dir, buckets: map[string]map[string][]byte{}}
	for _, e := range entries {
		name := e.Name()
		switch {
		case e.IsDir():
		case strings.HasPrefix(name, tempPrefix) && strings.Contains(name, tempMarker):
			// Left by a crash before rename: the bucket file is still the
			// previous complete version, so the temp file is garbage.
			_ = os.Remove(filepath.Join(dir, name))
		case strings.HasSuffix(name, fileSuffix):
			bucket := strings.TrimSuffix(name, fileSuffix)
			if checkBucket(bucket) != nil {
				continue // not ours
			}
			items, err := loadBucket(filepath.Join(dir, name))
			if err != nil {
				return nil, err
			}
			s.buckets[bucket] = items
		}
	}
	return s, nil
}

// entry is one value on disk: text when the bytes are UTF-8 (the catalog is
// JSON and SQL, and stays readable for operators), base64 otherwise.
type entry struct {
	Text   *string `json:"text,omitempty"`
	Base64 []byte  `json:"base64,omitempty"`
}

// bucketFile is the document of one bucket file.
type bucketFile struct {
	Version int              `json:"version"`
	Items   map[string]entry `json:"items"`
}

const fileVersion = 1

func loadBucket(path string) (map[string][]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("store: read %s: %w", path, err)
	}
	var bf bucketFile
	if err := json.Unmarshal(b, &bf); err != nil {
		return nil, fmt.Errorf("store: corrupt bucket file %s: %w", path, err)
	}
	if bf.Version != fileVersion {
		return nil, fmt.Errorf("store: bucket file %s has version %d, want %d", path, bf.Version, fileVersion)
	}
	items := make(map[string][]byte, len(bf.Items))
	for k, e := range bf.Items {
		switch {
		case e.Text != nil:
			items[k] = []byte(*e.Text)
		case e.Base64 != nil:
			items[k] = e.Base64
		default:
			items[k] = []byte{}
		}
	}
	return items, nil
}

func encodeBucket(items map[string][]byte) ([]byte, error) {
	bf := bucketFile{Version: fileVersion, Items: make(map[string]entry, len(items))}
	for k, v := range items {
		if utf8.Valid(v) {
			s := string(v)
			bf.Items[k] = entry{Text: &s}
		} else {
			bf.Items[k] = entry{Base64: v}
		}
	}
	return json.MarshalIndent(bf, "", "  ")
}

// Get returns a copy of the value.
func (s *FileStore) Get(bucket, key string) ([]byte, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, false, fmt.Errorf("store: get %s/%s: %w", bucket, key, ErrClosed)
	}
	v, ok := s.buckets[bucket][key]
	if !ok {
		return nil, false, nil
	}
	return clone(v), true, nil
}

// Put stores a copy of val and rewrites the bucket file; on failure memory is
// left as it was.
func (s *FileStore) Put(bucket, key string, val []byte) error {
	if err := checkBucket(bucket); err != nil {
		return err
	}
	return s.update(bucket, "put", key, func(items map[string][]byte) bool {
		items[key] = clone(val)
		return true
	})
}

// Delete removes key; deleting a missing key is not an error.
func (s *FileStore) Delete(bucket, key string) error {
	return s.update(bucket, "delete", key, func(items map[string][]byte) bool {
		if _, ok := items[key]; !ok {
			return false
		}
		delete(items, key)
		return true
	})
}

// update applies change to a copy of the bucket, persists it, then swaps it
// in, so a failed write leaves both disk and memory unchanged.
func (s *FileStore) update(bucket, op, key string, change func(map[string][]byte) bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return fmt.Errorf("store: %s %s/%s: %w", op, bucket, key, ErrClosed)
	}
	old := s.buckets[bucket]
	items := make(map[string][]byte, len(old)+1)
	for k, v := range old {
		items[k] = v // values are never mutated in place, sharing is safe
	}
	if !change(items) {
		return nil
	}
	if err := s.write(bucket, items); err != nil {
		return fmt.Errorf("store: %s %s/%s: %w", op, bucket, key, err)
	}
	s.buckets[bucket] = items
	return nil
}

// List returns copies of every key/value of bucket (empty if unknown).
func (s *FileStore) List(bucket string) (map[string][]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, fmt.Errorf("store: list %s: %w", bucket, ErrClosed)
	}
	out := make(map[string][]byte, len(s.buckets[bucket]))
	for k, v := range s.buckets[bucket] {
		out[k] = clone(v)
	}
	return out, nil
}

// Close makes further operations fail; everything is already on disk.
func (s *FileStore) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}

// Dir returns the store's directory.
func (s *FileStore) Dir() string { return s.dir }

func clone(b []byte) []byte {
	out := make([]byte, len(b))
	copy(out, b)
	return out
}
