package store

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oort-rules/oort/rules/engine"
)

func openTempFile(t *testing.T) engine.Store {
	t.Helper()
	s, err := OpenFile(t.TempDir())
	if err != nil {
		t.Fatalf("OpenFile: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestFileConformance(t *testing.T) {
	runConformance(t, openTempFile)
}

func TestFilePersistence(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "nested") // created on open
	s, err := OpenFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	bin := []byte{1, 2, 0xff}
	mustPut(t, s, engine.BucketRules, "r1", []byte(`{"id":"r1"}`))
	mustPut(t, s, engine.BucketRules, "r2", []byte(`{"id":"r2"}`))
	mustPut(t, s, engine.BucketState, "r1", bin)
	if err := s.Delete(engine.BucketRules, "r2"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	re, err := OpenFile(dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer re.Close()
	if got := mustGet(t, re, engine.BucketRules, "r1"); string(got) != `{"id":"r1"}` {
		t.Errorf("rules/r1 after reopen = %q", got)
	}
	if _, ok, _ := re.Get(engine.BucketRules, "r2"); ok {
		t.Error("deleted rules/r2 came back")
	}
	if got := mustGet(t, re, engine.BucketState, "r1"); !bytes.Equal(got, bin) {
		t.Errorf("state/r1 after reopen = %v", got)
	}
	// The catalog stays readable for operators: text values are stored as text.
	raw, err := os.ReadFile(filepath.Join(dir, "rules.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"text": "{\"id\":\"r1\"}"`) {
		t.Errorf("rules.json = %s", raw)
	}
}

// TestFileCrashSafety simulates a crash between writing the temp file and
// renaming it: the half-written temp file must be ignored (and cleaned up),
// and the previous complete bucket file must load.
func TestFileCrashSafety(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, s, engine.BucketRules, "r1", []byte("v1"))
	_ = s.Close()
	stale := filepath.Join(dir, ".rules.json.tmp-123456")
	if err := os.WriteFile(stale, []byte(`{"version":1,"items":{"r1":{"te`), 0o600); err != nil {
		t.Fatal(err)
	}

	re, err := OpenFile(dir)
	if err != nil {
		t.Fatalf("open with stale temp file: %v", err)
	}
	defer re.Close()
	if got := mustGet(t, re, engine.BucketRules, "r1"); string(got) != "v1" {
		t.Errorf("rules/r1 = %q, want the last complete value", got)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale temp file not removed: %v", err)
	}
	mustPut(t, re, engine.BucketRules, "r1", []byte("v2"))
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temp file left after a successful write: %s", e.Name())
		}
	}
}

func TestFileCorrupt(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rules.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := OpenFile(dir)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "corrupt") {
		t.Fatalf("OpenFile of corrupt file: %v; want an error naming %s", err, path)
	}
	if err := os.WriteFile(path, []byte(`{"version":7,"items":{}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenFile(dir); err == nil || !strings.Contains(err.Error(), "version 7") {
		t.Errorf("unknown version: %v", err)
	}
}

func TestFileOpenErrors(t *testing.T) {
	if _, err := OpenFile(""); err == nil {
		t.Error("empty dir accepted")
	}
	file := filepath.Join(t.TempDir(), "plain")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenFile(file); err == nil || !strings.Contains(err.Error(), file) {
		t.Errorf("OpenFile on a regular file: %v", err)
	}
}

// TestFileWriteFailureKeepsState makes the rename fail (a directory sits
// where the bucket file goes; permissions would not stop root): the error must
// name the operation, memory must be unchanged and no temp file may remain.
func TestFileWriteFailureKeepsState(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustPut(t, s, engine.BucketRules, "r1", []byte("v1"))
	target := filepath.Join(dir, "rules.json")
	if err := os.Remove(target); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(target, "blocker"), 0o700); err != nil {
		t.Fatal(err)
	}
	err = s.Put(engine.BucketRules, "r1", []byte("v2"))
	if err == nil || !strings.Contains(err.Error(), "put rules/r1") || !strings.Contains(err.Error(), "rename") {
		t.Fatalf("Put with a blocked target: %v", err)
	}
	if got := mustGet(t, s, engine.BucketRules, "r1"); string(got) != "v1" {
		t.Errorf("failed Put changed memory: %q", got)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temp file left after a failed write: %s", e.Name())
		}
	}
}

func BenchmarkFilePut(b *testing.B) {
	s, err := OpenFile(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for i := 0; i < 50; i++ {
		_ = s.Put(engine.BucketRules, string(rune('a'+i%26))+string(rune('a'+i/26)), bytes.Repeat([]byte("x"), 512))
	}
	val := []byte(`{"id":"r1","sql":"SELECT * FROM demo","actions":[{"log":{}}]}`)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.Put(engine.BucketRules, "r1", val); err != nil {
			b.Fatal(err)
		}
	}
}
