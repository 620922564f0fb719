package cli

import "testing"

func TestCaretSnippet(t *testing.T) {
	src := "SELECT a,\n  b FRM s"
	got := caretSnippet(`{"error":1000,"message":"invalid rule json: 2:5: found FRM, expected FROM"}`, src)
	want := "      b FRM s\n        ^\n"
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if caretSnippet("rule r1 already exists", src) != "" {
		t.Fatal("no position, no snippet")
	}
	if caretSnippet("9:1: beyond the text", src) != "" {
		t.Fatal("a position past the text gives no snippet")
	}
}
