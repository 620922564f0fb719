package window

import (
	"testing"
	"time"
)

func TestAlignedEnd(t *testing.T) {
	utc := time.UTC
	at := func(s string) int64 {
		v, err := time.Parse("2006-01-02T15:04:05.000Z07:00", s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UnixMilli()
	}
	shanghai := time.FixedZone("CST", 8*3600)
	cases := []struct {
		name string
		now  int64
		n    int64
		unit Unit
		loc  *time.Location
		want int64
	}{
		{"ss on boundary", base, 1, SS, utc, base + 1000},
		{"ss 2 from :46", base, 2, SS, utc, base + 2000},
		{"ss 2 from :46.999", base + 999, 2, SS, utc, base + 2000},
		{"ss 2 from :47", base + 1000, 2, SS, utc, base + 2000},
		{"ss equal to n", at("2022-07-19T08:12:02.500Z"), 2, SS, utc, at("2022-07-19T08:12:04.000Z")},
		{"ss 7 crosses minute", at("2022-07-19T08:12:57.000Z"), 7, SS, utc, at("2022-07-19T08:13:03.000Z")},
		{"ms 300", base + 100, 300, MS, utc, base + 300},
		{"ms 300 on boundary", base + 300, 300, MS, utc, base + 600},
		{"mi 5", at("2022-07-19T08:12:51.337Z"), 5, MI, utc, at("2022-07-19T08:15:00.000Z")},
		{"hh 4", at("2022-07-19T08:12:51.337Z"), 4, HH, utc, at("2022-07-19T12:00:00.000Z")},
		{"dd 1 utc", at("2022-07-19T08:12:51.337Z"), 1, DD, utc, at("2022-07-20T00:00:00.000Z")},
		{"dd 1 +08", at("2022-07-19T18:12:51.337Z"), 1, DD, shanghai, at("2022-07-21T00:00:00.000+08:00")},
		{"dd 2 +08", at("2022-07-19T08:12:51.337Z"), 2, DD, shanghai, at("2022-07-21T00:00:00.000+08:00")},
	}
	for _, c := range cases {
		if got := alignedEnd(c.now, c.n, c.unit, c.loc); got != c.want {
			t.Errorf("%s: alignedEnd = %d (%s), want %d (%s)", c.name, got,
				time.UnixMilli(got).UTC(), c.want, time.UnixMilli(c.want).UTC())
		}
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		spec Spec
		want string // "" = valid
	}{
		{Spec{Kind: Tumbling, Unit: "ss", Size: 1}, ""},
		{Spec{Kind: Tumbling, Unit: SS, Size: 0}, "tumblingwindow: the size must be at least 1, got 0"},
		{Spec{Kind: Tumbling, Unit: "yy", Size: 1}, `tumblingwindow: invalid time unit "yy" (want DD, HH, MI, SS or MS)`},
		{Spec{Kind: Hopping, Unit: SS, Size: 2, Hop: 0}, "hoppingwindow: the hop must be at least 1, got 0"},
		{Spec{Kind: Hopping, Unit: SS, Size: 1, Hop: 5}, ""},
		{Spec{Kind: Sliding, Unit: SS, Size: 1, Delay: -1}, "slidingwindow: the delay must be at least 0, got -1"},
		{Spec{Kind: Session, Unit: SS, MaxDuration: 2, Timeout: 0}, "sessionwindow: the timeout must be at least 1, got 0"},
		{Spec{Kind: Session, Unit: DD, MaxDuration: 1 << 40, Timeout: 1}, "sessionwindow: the maximum duration 1099511627776 DD is too large"},
		{Spec{Kind: Count, Size: 3, Hop: 5}, "The second parameter value 5 should be less than the first parameter 3."},
		{Spec{Kind: Count, Size: 3, Hop: 3}, ""},
		{Spec{Kind: Count, Size: 0}, "countwindow: the size must be greater than 0, got 0"},
		{Spec{Kind: State}, ""},
		{Spec{Kind: 42}, "window: unknown window kind 42"},
	}
	for _, c := range cases {
		err := c.spec.Validate()
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("Validate(%+v) = %q, want %q", c.spec, got, c.want)
		}
		if _, nerr := New(c.spec); (nerr == nil) != (c.want == "") {
			t.Errorf("New(%+v) error = %v, want error %v", c.spec, nerr, c.want != "")
		}
	}
}
