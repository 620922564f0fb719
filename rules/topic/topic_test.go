package topic

import "testing"

func TestMatch(t *testing.T) {
	cases := []struct {
		filter, topic string
		want          bool
	}{
		{"a/b", "a/b", true},
		{"a/b", "a/c", false},
		{"a/b", "a/b/c", false},
		{"a/+", "a/b", true},
		{"a/+", "a/b/c", false},
		{"a/+", "a", false},
		{"a/+", "a/", true},
		{"+/b", "a/b", true},
		{"+/+", "a/b", true},
		{"+", "a", true},
		{"+", "a/b", false},
		{"+", "", true},
		{"a/#", "a", true},
		{"a/#", "a/b", true},
		{"a/#", "a/b/c", true},
		{"a/#", "b/c", false},
		{"a/#", "ab", false},
		{"#", "a/b/c", true},
		{"#", "a", true},
		{"a/+/c/#", "a/x/c", true},
		{"a/+/c/#", "a/x/c/d/e", true},
		{"a/+/c/#", "a/x/d/e", false},
		{"a/+/+", "a/b", false},
		{"+/#", "a", true},
		{"#", "$SYS/x", false},
		{"+/x", "$SYS/x", false},
		{"$SYS/#", "$SYS/x", true},
		{"a/b#", "a/b", false},      // invalid filter never matches
		{"a/b+/c", "a/b+/c", false}, // invalid filter never matches
		{"/a", "/a", true},
		{"+/a", "/a", true},
		{"", "", true},
	}
	for _, c := range cases {
		if got := Match(c.filter, c.topic); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.filter, c.topic, got, c.want)
		}
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		filter string
		ok     bool
	}{
		{"a/b", true},
		{"a/+/c", true},
		{"a/#", true},
		{"#", true},
		{"+", true},
		{"/", true},
		{"", false},
		{"a/#/c", false},
		{"a/b#", false},
		{"a+/b", false},
		{"a/\x00", false},
	}
	for _, c := range cases {
		err := Validate(c.filter)
		if (err == nil) != c.ok {
			t.Errorf("Validate(%q) = %v, want ok=%v", c.filter, err, c.ok)
		}
	}
}

func TestHasWildcard(t *testing.T) {
	cases := map[string]bool{"a/b": false, "a/+": true, "#": true, "": false, "a#b": true}
	for s, want := range cases {
		if got := HasWildcard(s); got != want {
			t.Errorf("HasWildcard(%q) = %v, want %v", s, got, want)
		}
	}
}

func BenchmarkMatch(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Match("edgex/events/device/+/+/#", "edgex/events/device/svc/profile/dev/source")
	}
}

// FuzzMatch checks invariants: no panics, literal filters match only equal
// topics, and "#" matches every topic not starting with '$'.
func FuzzMatch(f *testing.F) {
	f.Add("a/+/c", "a/b/c")
	f.Add("#", "x")
	f.Add("a/#", "a")
	f.Fuzz(func(t *testing.T, filter, topic string) {
		got := Match(filter, topic)
		if !HasWildcard(filter) && got != (filter == topic) {
			t.Fatalf("literal filter %q vs %q: %v", filter, topic, got)
		}
		if got && HasWildcard(filter) && Validate(filter) != nil {
			t.Fatalf("invalid filter %q matched %q", filter, topic)
		}
		if len(topic) > 0 && topic[0] != '$' && !Match("#", topic) {
			t.Fatalf("# does not match %q", topic)
		}
	})
}
