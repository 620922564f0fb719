package store

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/oort-rules/oort/rules/engine"
)

// runConformance is the behaviour every engine.Store must show. open returns
// a fresh, empty store.
func runConformance(t *testing.T, open func(t *testing.T) engine.Store) {
	t.Run("PutGet", func(t *testing.T) { testPutGet(t, open(t)) })
	t.Run("DeleteAndList", func(t *testing.T) { testDeleteList(t, open(t)) })
	t.Run("BucketsAreSeparate", func(t *testing.T) { testBuckets(t, open(t)) })
	t.Run("ValuesAreCopied", func(t *testing.T) { testCopies(t, open(t)) })
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, open(t)) })
	t.Run("InvalidBucket", func(t *testing.T) { testInvalidBucket(t, open(t)) })
	t.Run("Closed", func(t *testing.T) { testClosed(t, open(t)) })
}

func mustGet(t *testing.T, s engine.Store, bucket, key string) []byte {
	t.Helper()
	v, ok, err := s.Get(bucket, key)
	if err != nil || !ok {
		t.Fatalf("Get(%s, %s) = %q, %v, %v", bucket, key, v, ok, err)
	}
	return v
}

func mustPut(t *testing.T, s engine.Store, bucket, key string, val []byte) {
	t.Helper()
	if err := s.Put(bucket, key, val); err != nil {
		t.Fatalf("Put(%s, %s): %v", bucket, key, err)
	}
}

func testPutGet(t *testing.T, s engine.Store) {
	if v, ok, err := s.Get(engine.BucketRules, "r1"); err != nil || ok || v != nil {
		t.Fatalf("Get of missing key = %q, %v, %v", v, ok, err)
	}
	rule := []byte(`{"id":"r1","sql":"SELECT * FROM demo","actions":[{"log":{}}]}`)
	mustPut(t, s, engine.BucketRules, "r1", rule)
	if got := mustGet(t, s, engine.BucketRules, "r1"); !bytes.Equal(got, rule) {
		t.Errorf("Get = %q, want %q", got, rule)
	}
	mustPut(t, s, engine.BucketRules, "r1", []byte(`{"id":"r1"}`))
	if got := mustGet(t, s, engine.BucketRules, "r1"); string(got) != `{"id":"r1"}` {
		t.Errorf("overwrite: Get = %q", got)
	}
	bin := []byte{0, 0xff, 0xfe, '\n', 0x80}
	mustPut(t, s, engine.BucketState, "r1", bin)
	if got := mustGet(t, s, engine.BucketState, "r1"); !bytes.Equal(got, bin) {
		t.Errorf("binary: Get = %v, want %v", got, bin)
	}
	mustPut(t, s, engine.BucketState, "empty", []byte{})
	if got := mustGet(t, s, engine.BucketState, "empty"); len(got) != 0 {
		t.Errorf("empty value: Get = %q", got)
	}
	mustPut(t, s, engine.BucketStreams, "key with spaces/and:colons", []byte("x"))
	if got := mustGet(t, s, engine.BucketStreams, "key with spaces/and:colons"); string(got) != "x" {
		t.Errorf("odd key: Get = %q", got)
	}
}

func testDeleteList(t *testing.T, s engine.Store) {
	if m, err := s.List("nosuch"); err != nil || len(m) != 0 || m == nil {
		t.Fatalf("List of unknown bucket = %v, %v; want empty non-nil map", m, err)
	}
	for i := 0; i < 3; i++ {
		mustPut(t, s, engine.BucketStreams, fmt.Sprintf("s%d", i), []byte(fmt.Sprintf("CREATE STREAM s%d () WITH ()", i)))
	}
	if err := s.Delete(engine.BucketStreams, "s1"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if err := s.Delete(engine.BucketStreams, "s1"); err != nil {
		t.Errorf("Delete of missing key: %v", err)
	}
	if err := s.Delete("nosuch", "x"); err != nil {
		t.Errorf("Delete in unknown bucket: %v", err)
	}
	if _, ok, _ := s.Get(engine.BucketStreams, "s1"); ok {
		t.Error("deleted key still present")
	}
	m, err := s.List(engine.BucketStreams)
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 2 || string(m["s0"]) != "CREATE STREAM s0 () WITH ()" || string(m["s2"]) != "CREATE STREAM s2 () WITH ()" {
		t.Errorf("List = %q", m)
	}
}

func testBuckets(t *testing.T, s engine.Store) {
	mustPut(t, s, engine.BucketStreams, "demo", []byte("stream"))
	mustPut(t, s, engine.BucketTables, "demo", []byte("table"))
	if got := mustGet(t, s, engine.BucketStreams, "demo"); string(got) != "stream" {
		t.Errorf("streams/demo = %q", got)
	}
	if got := mustGet(t, s, engine.BucketTables, "demo"); string(got) != "table" {
		t.Errorf("tables/demo = %q", got)
	}
	if err := s.Delete(engine.BucketTables, "demo"); err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, s, engine.BucketStreams, "demo"); string(got) != "stream" {
		t.Errorf("delete in tables touched streams: %q", got)
	}
}

func testCopies(t *testing.T, s engine.Store) {
	val := []byte("abc")
	mustPut(t, s, engine.BucketRules, "k", val)
	val[0] = 'X'
	got := mustGet(t, s, engine.BucketRules, "k")
	if string(got) != "abc" {
		t.Fatalf("store kept the caller's slice: %q", got)
	}
	got[0] = 'Y'
	m, _ := s.List(engine.BucketRules)
	m["k"][1] = 'Z'
	if again := mustGet(t, s, engine.BucketRules, "k"); string(again) != "abc" {
		t.Errorf("store handed out its own slice: %q", again)
	}
}

func testConcurrent(t *testing.T, s engine.Store) {
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errc := make(chan error, workers*each)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				key := fmt.Sprintf("w%d-%d", w, i)
				if err := s.Put(engine.BucketRules, key, []byte(key)); err != nil {
					errc <- err
				}
				if _, err := s.List(engine.BucketRules); err != nil {
					errc <- err
				}
			}
		}(w)
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	m, err := s.List(engine.BucketRules)
	if err != nil || len(m) != workers*each {
		t.Fatalf("after concurrent puts: %d keys, %v", len(m), err)
	}
	for k, v := range m {
		if k != string(v) {
			t.Errorf("%s = %q", k, v)
		}
	}
}

func testInvalidBucket(t *testing.T, s engine.Store) {
	for _, b := range []string{"", "../etc", "a/b", ".hidden", "x y"} {
		if err := s.Put(b, "k", []byte("v")); err == nil {
			t.Errorf("Put in bucket %q accepted", b)
		}
	}
}

func testClosed(t *testing.T, s engine.Store) {
	mustPut(t, s, engine.BucketRules, "k", []byte("v"))
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, _, err := s.Get(engine.BucketRules, "k"); !errors.Is(err, ErrClosed) {
		t.Errorf("Get after Close: %v", err)
	}
	if err := s.Put(engine.BucketRules, "k", nil); !errors.Is(err, ErrClosed) {
		t.Errorf("Put after Close: %v", err)
	}
	if err := s.Delete(engine.BucketRules, "k"); !errors.Is(err, ErrClosed) {
		t.Errorf("Delete after Close: %v", err)
	}
	if _, err := s.List(engine.BucketRules); !errors.Is(err, ErrClosed) {
		t.Errorf("List after Close: %v", err)
	}
}
