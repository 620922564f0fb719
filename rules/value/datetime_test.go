package value

import (
	"strings"
	"testing"
	"time"
)

var refTime = time.Date(2020, time.January, 16, 2, 14, 24, 913456789, time.UTC)

func TestFormatJava(t *testing.T) {
	plus8 := time.FixedZone("CST", 8*3600)
	cases := []struct {
		t       time.Time
		pattern string
		want    string
	}{
		{refTime, "yyyy-MM-dd HH:mm:ss", "2020-01-16 02:14:24"},
		{refTime, "YYYY-MM-dd HH:mm:ssSSS", "2020-01-16 02:14:24.913"}, // eKuiper: S carries the point
		{refTime, "yyyy-MM-dd HH:mm:ss.SSS", "2020-01-16 02:14:24.913"},
		{refTime, "ss.SSSSSSSSS", "24.913456789"},
		{refTime, "ss,SS", "24,91"},
		{refTime, "YYYY-MM-dd T HH:mm:ss", "2020-01-16 T 02:14:24"},
		{refTime, "yy/M/d", "20/1/16"},
		{refTime, "MMM MMMM", "Jan January"},
		{refTime, "E EEE EEEE", "Thu Thu Thursday"},
		{refTime, "h hh a", "2 02 AM"},
		{refTime.Add(13 * time.Hour), "h:mm a H", "3:14 PM 15"},
		{refTime.Add(22 * time.Hour), "hh a", "12 AM"},
		{refTime, "m s", "14 24"},
		{refTime, "G yyyy", "AD 2020"},
		{refTime, "z Z X XX XXX", "UTC +0000 +00 +0000 +00:00"},
		{refTime.In(plus8), "HH z Z XXX", "10 CST +0800 +08:00"},
		{refTime, `yyyy-MM-dd\THH\Z`, "2020-01-16T02Z"},
		{refTime, "'day 'yyyy", "day 2020"},
		{refTime, "yyyy''", "2020'"},
		{refTime, "yyyy'abc", "2020abc"},
		{refTime, "yyyy年MM月", "2020年01月"},
	}
	for _, c := range cases {
		got, err := FormatJava(c.t, c.pattern)
		if err != nil {
			t.Errorf("FormatJava(%q): %v", c.pattern, err)
			continue
		}
		if got != c.want {
			t.Errorf("FormatJava(%q) = %q, want %q", c.pattern, got, c.want)
		}
	}
}

func TestFormatJavaErrors(t *testing.T) {
	for _, p := range []string{`yyyy\`, "yyyyy", "MMMMM", "ddd", "HHH", "SSSSSSSSSS", "EEEEE", "aa"} {
		if _, err := FormatJava(refTime, p); err == nil || !strings.Contains(err.Error(), "invalid time format") {
			t.Errorf("FormatJava(%q): want an invalid time format error, got %v", p, err)
		}
	}
}

func TestParseDatetimeWithLayout(t *testing.T) {
	sh := time.FixedZone("Asia/Shanghai", 8*3600)
	cases := []struct {
		s, layout string
		loc       *time.Location
		want      time.Time
	}{
		{"2020-01-16 02:14:24.913", "YYYY-MM-dd HH:mm:ssSSS", sh, time.Date(2020, 1, 16, 2, 14, 24, 913000000, sh)},
		{"2020-01-16 02:14:24.913", "yyyy-MM-dd HH:mm:ss.SSS", time.UTC, time.Date(2020, 1, 16, 2, 14, 24, 913000000, time.UTC)},
		{"2022-04-13 6:22:32.2", "YYYY-MM-dd h:m:sS", time.UTC, time.Date(2022, 4, 13, 6, 22, 32, 200000000, time.UTC)},
		{"2022-04-13 Wednesday 06:22:32.233", "YYYY-MM-dd EEEE HH:m:ssSSS", time.UTC, time.Date(2022, 4, 13, 6, 22, 32, 233000000, time.UTC)},
		{"2025-06-04T08:54:00.7530000Z", `YYYY-MM-ddTHH:mm:ssSSSSSSS\Z`, time.UTC, time.Date(2025, 6, 4, 8, 54, 0, 753000000, time.UTC)},
		{"2024-06-10 05:54:39-0700", "yyyy-MM-dd HH:mm:ssZ", time.UTC, time.Date(2024, 6, 10, 12, 54, 39, 0, time.UTC)},
		{"16/01/2020", "dd/MM/yyyy", time.UTC, time.Date(2020, 1, 16, 0, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		got, err := ParseDatetime(c.s, c.layout, c.loc)
		if err != nil {
			t.Errorf("ParseDatetime(%q, %q): %v", c.s, c.layout, err)
			continue
		}
		if !got.Equal(c.want) {
			t.Errorf("ParseDatetime(%q, %q) = %v, want %v", c.s, c.layout, got, c.want)
		}
	}
	// Oort reads y, yyy and yyyy as a full year (eKuiper rejects y and yyy).
	if got, err := ParseDatetime("2020", "YYY", time.UTC); err != nil || !got.Equal(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("YYY: %v %v", got, err)
	}
	if _, err := ParseDatetime("not a date", "yyyy-MM-dd", time.UTC); err == nil || !strings.Contains(err.Error(), "yyyy-MM-dd") {
		t.Errorf("want an error naming the format, got %v", err)
	}
}

func TestParseDatetimeAuto(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	cases := []struct {
		s    string
		want time.Time
	}{
		{"2020-01-16T02:14:24Z", time.Date(2020, 1, 16, 2, 14, 24, 0, time.UTC)},
		{"2020-01-16T02:14:24.913+08:00", time.Date(2020, 1, 15, 18, 14, 24, 913000000, time.UTC)},
		{"2020-01-16T02:14:24.913Z", time.Date(2020, 1, 16, 2, 14, 24, 913000000, time.UTC)},
		{"2020-01-16T02:14:24+0100", time.Date(2020, 1, 16, 1, 14, 24, 0, time.UTC)},
		{"2020-01-16T02:14:24", time.Date(2020, 1, 16, 2, 14, 24, 0, cet)},
		{"2020-01-16T02:14:24.5", time.Date(2020, 1, 16, 2, 14, 24, 500000000, cet)},
		{"2020-01-16T02:14", time.Date(2020, 1, 16, 2, 14, 0, 0, cet)},
		{"2020-01-16 02:14:24", time.Date(2020, 1, 16, 2, 14, 24, 0, cet)},
		{"2020-01-16 02:14:24.123456", time.Date(2020, 1, 16, 2, 14, 24, 123456000, cet)},
		{"2020-01-16 02:14:24 +0000", time.Date(2020, 1, 16, 2, 14, 24, 0, time.UTC)},
		{"2020-01-16 02:14", time.Date(2020, 1, 16, 2, 14, 0, 0, cet)},
		{"2020-01-16", time.Date(2020, 1, 16, 0, 0, 0, 0, cet)},
		{" 2020-01-16 ", time.Date(2020, 1, 16, 0, 0, 0, 0, cet)},
		{"2020/01/16", time.Date(2020, 1, 16, 0, 0, 0, 0, cet)},
		{"2020-1-6", time.Date(2020, 1, 6, 0, 0, 0, 0, cet)},
		{"20200116", time.Date(2020, 1, 16, 0, 0, 0, 0, cet)},
		{"Thu, 16 Jan 2020 02:14:24 +0000", time.Date(2020, 1, 16, 2, 14, 24, 0, time.UTC)},
	}
	for _, c := range cases {
		got, err := ParseDatetime(c.s, "", cet)
		if err != nil {
			t.Errorf("ParseDatetime(%q): %v", c.s, err)
			continue
		}
		if !got.Equal(c.want) {
			t.Errorf("ParseDatetime(%q) = %v, want %v", c.s, got, c.want)
		}
	}
	for _, bad := range []string{"", "abc", "2020-13-45", "12:00", "1.5"} {
		if _, err := ParseDatetime(bad, "", cet); err == nil {
			t.Errorf("ParseDatetime(%q): want error", bad)
		}
	}
}

func TestToTime(t *testing.T) {
	sh := time.FixedZone("CST", 8*3600)
	got, err := ToTime(FromInt(1579140864913), sh)
	if err != nil || !got.Equal(time.Date(2020, 1, 16, 10, 14, 24, 913000000, sh)) || got.Location() != sh {
		t.Errorf("epoch ms: %v %v", got, err)
	}
	got, err = ToTime(FromFloat(-1579140864913), time.UTC)
	if err != nil || !got.Equal(time.Date(1919, 12, 17, 21, 45, 35, 87000000, time.UTC)) {
		t.Errorf("negative float ms: %v %v", got, err)
	}
	dt := time.Date(2022, 4, 13, 14, 22, 32, 233000000, sh)
	got, err = ToTime(FromTime(dt), time.UTC)
	if err != nil || !got.Equal(dt) || got.Hour() != 14 {
		t.Errorf("datetime keeps its zone: %v %v", got, err)
	}
	got, err = ToTime(FromString("2022-04-13 06:22:32"), nil)
	if err != nil || !got.Equal(time.Date(2022, 4, 13, 6, 22, 32, 0, time.UTC)) {
		t.Errorf("string in nil loc is UTC: %v %v", got, err)
	}
	for _, bad := range []Value{FromBool(true), FromArray(nil), FromString("x"), FromUint(1 << 63), FromFloat(1e300), NullValue} {
		if _, err := ToTime(bad, time.UTC); err == nil {
			t.Errorf("ToTime(%v): want error", bad.Kind())
		}
	}
}

func TestDatetimeLayoutRoundTrip(t *testing.T) {
	s := refTime.Format(DatetimeLayout)
	if s != "2020-01-16T02:14:24.913Z" {
		t.Fatalf("DatetimeLayout rendering = %q", s)
	}
	back, err := ParseDatetime(s, "", time.Local)
	if err != nil || !back.Equal(refTime.Truncate(time.Millisecond)) {
		t.Errorf("round trip: %v %v", back, err)
	}
}

func FuzzParseDatetime(f *testing.F) {
	for _, s := range []string{"2020-01-16T02:14:24Z", "2020-01-16 02:14:24.5", "20200116", "x"} {
		f.Add(s, "")
	}
	f.Add("2020-01-16 02:14:24.913", "yyyy-MM-dd HH:mm:ss.SSS")
	f.Add("2020", `'\`)
	f.Fuzz(func(t *testing.T, s, layout string) {
		tm, err := ParseDatetime(s, layout, time.UTC)
		if err == nil && layout == "" {
			if _, err := FormatJava(tm, "yyyy-MM-dd HH:mm:ss.SSS XXX"); err != nil {
				t.Fatalf("format after parse: %v", err)
			}
		}
		_, _ = FormatJava(refTime, layout)
	})
}

func BenchmarkParseDatetimeAuto(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := ParseDatetime("2020-01-16 02:14:24.913", "", time.UTC); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFormatCompiled(b *testing.B) {
	p, err := CompileJava("yyyy-MM-dd HH:mm:ss.SSS")
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 0, 32)
	for i := 0; i < b.N; i++ {
		buf = p.AppendFormat(buf[:0], refTime)
	}
}
