package value

// Datetime parsing and formatting (sql.md §3.1, §3.4, §12.7). Patterns are
// Java-style (TIMESTAMP_FORMAT, format_time) as in eKuiper; they are compiled
// once into tokens so hot paths (a literal format_time pattern, a stream's
// TIMESTAMP_FORMAT) do not re-scan the pattern per row.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// DatetimeLayout is the canonical text of a datetime (cast to string, JSON).
const DatetimeLayout = "2006-01-02T15:04:05.000Z07:00"

// javaTok is one element of a compiled pattern: a run of one pattern letter,
// or literal text when letter is 0.
type javaTok struct {
	letter byte
	n      int
	lit    string
}

// JavaPattern is a compiled Java-style date pattern.
type JavaPattern struct {
	src    string
	toks   []javaTok
	layout string // Go layout used for parsing
}

// maxRun is the longest run accepted for each pattern letter; 0 means the
// character is not a pattern letter and is copied literally (eKuiper copies
// unknown letters such as 'T' through).
func maxRun(c byte) int {
	switch c {
	case 'G', 'a':
		return 1
	case 'z', 'Z', 'X':
		return 3
	case 'y', 'Y', 'M', 'E':
		return 4
	case 'd', 'H', 'h', 'm', 's':
		return 2
	case 'S':
		return 9
	}
	return 0
}

// CompileJava compiles a Java-style pattern: G era, yyyy/yy year, M..MMMM
// month, d/dd day, E..EEEE weekday, H/HH, h/hh, a, m/mm, s/ss, S (1-9
// fraction digits), z zone name, Z -0700, X/XX/XXX ISO offsets, '\' escapes
// one character, 'text' is literal text and a doubled quote is a quote.
func CompileJava(pattern string) (*JavaPattern, error) {
	p := &JavaPattern{src: pattern}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			p.toks = append(p.toks, javaTok{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(pattern); {
		c := pattern[i]
		switch {
		case c == '\\':
			if i+1 >= len(pattern) {
				return nil, fmt.Errorf("invalid time format %q: dangling escape at the end", pattern)
			}
			lit.WriteByte(pattern[i+1])
			i += 2
		case c == '\'':
			i = quoted(pattern, i, &lit)
		case maxRun(c) > 0:
			j := i
			for j < len(pattern) && pattern[j] == c {
				j++
			}
			if j-i > maxRun(c) {
				return nil, fmt.Errorf("invalid time format %q: too many '%c' letters (at most %d)", pattern, c, maxRun(c))
			}
			flush()
			p.toks = append(p.toks, javaTok{letter: c, n: j - i})
			i = j
		default:
			lit.WriteByte(c)
			i++
		}
	}
	flush()
	p.layout = p.goLayout()
	return p, nil
}

// quoted copies a 'quoted' section starting at pattern[i] into lit and returns
// the index after it. ” is a literal quote; an unterminated quote runs to the
// end, as in eKuiper.
func quoted(pattern string, i int, lit *strings.Builder) int {
	if i+1 < len(pattern) && pattern[i+1] == '\'' {
		lit.WriteByte('\'')
		return i + 2
	}
	j := i + 1
	for j < len(pattern) && pattern[j] != '\'' {
		lit.WriteByte(pattern[j])
		j++
	}
	return j + 1
}

// String returns the source pattern.
func (p *JavaPattern) String() string { return p.src }

// FormatJava formats t with a Java-style pattern (see CompileJava).
func FormatJava(t time.Time, pattern string) (string, error) {
	p, err := CompileJava(pattern)
	if err != nil {
		return "", err
	}
	return p.Format(t), nil
}

// Format renders t in its own location.
func (p *JavaPattern) Format(t time.Time) string {
	return string(p.AppendFormat(make([]byte, 0, 32), t))
}

// AppendFormat appends the rendering of t to dst.
func (p *JavaPattern) AppendFormat(dst []byte, t time.Time) []byte {
	c := civilOf(t)
	for _, tk := range p.toks {
		if tk.letter == 0 {
			dst = append(dst, tk.lit...)
			continue
		}
		dst = appendField(dst, t, &c, tk)
	}
	return dst
}

// civil holds the calendar fields of a time, computed once per Format
// (each time.Time accessor recomputes the date).
type civil struct {
	year, day, hour, min, sec, nsec int
	month                           time.Month
	weekday                         time.Weekday
}

func civilOf(t time.Time) civil {
	var c civil
	c.year, c.month, c.day = t.Date()
	c.hour, c.min, c.sec = t.Clock()
	c.nsec, c.weekday = t.Nanosecond(), t.Weekday()
	return c
}

func appendField(dst []byte, t time.Time, c *civil, tk javaTok) []byte {
	switch tk.letter {
	case 'G':
		if c.year <= 0 {
			return append(dst, "BC"...)
		}
		return append(dst, "AD"...)
	case 'y', 'Y':
		if tk.n == 2 {
			return appendPadded(dst, int64(c.year%100), 2)
		}
		return appendPadded(dst, int64(c.year), 4)
	case 'M':
		return appendName(dst, int64(c.month), c.month.String(), tk.n)
	case 'E':
		name := c.weekday.String()
		if tk.n < 4 {
			name = name[:3]
		}
		return append(dst, name...)
	case 'd':
		return appendPadded(dst, int64(c.day), tk.n)
	case 'H':
		return appendPadded(dst, int64(c.hour), tk.n)
	case 'h':
		h := c.hour % 12
		if h == 0 {
			h = 12
		}
		return appendPadded(dst, int64(h), tk.n)
	case 'a':
		if c.hour < 12 {
			return append(dst, "AM"...)
		}
		return append(dst, "PM"...)
	case 'm':
		return appendPadded(dst, int64(c.min), tk.n)
	case 's':
		return appendPadded(dst, int64(c.sec), tk.n)
	case 'S':
		return appendFraction(dst, c.nsec, tk.n)
	}
	return appendZone(dst, t, tk)
}

func appendName(dst []byte, month int64, name string, n int) []byte {
	switch n {
	case 3:
		return append(dst, name[:3]...)
	case 4:
		return append(dst, name...)
	}
	return appendPadded(dst, month, n)
}

func appendZone(dst []byte, t time.Time, tk javaTok) []byte {
	switch {
	case tk.letter == 'z':
		return t.AppendFormat(dst, "MST")
	case tk.letter == 'Z' || tk.n == 2:
		return t.AppendFormat(dst, "-0700")
	case tk.n == 1:
		return t.AppendFormat(dst, "-07")
	}
	return t.AppendFormat(dst, "-07:00")
}

// appendFraction writes n fraction digits (truncated). eKuiper's S letters
// include the decimal point ("ssSSS" gives "05.123"); a pattern that already
// has a literal point before them ("ss.SSS") keeps a single one.
func appendFraction(dst []byte, nsec, n int) []byte {
	if len(dst) == 0 || (dst[len(dst)-1] != '.' && dst[len(dst)-1] != ',') {
		dst = append(dst, '.')
	}
	div := 100_000_000
	for i := 0; i < n; i++ {
		dst = append(dst, byte('0'+nsec/div%10))
		div /= 10
	}
	return dst
}

func appendPadded(dst []byte, v int64, width int) []byte {
	if v < 0 {
		dst = append(dst, '-')
		v = -v
	}
	for w, lim := width, int64(10); w > 1; w, lim = w-1, lim*10 {
		if v < lim {
			dst = append(dst, '0')
		}
	}
	return strconv.AppendInt(dst, v, 10)
}

// goLayout translates the tokens into a Go layout for time.Parse. Fractions
// become ".999999999" so any number of digits (or none) is accepted.
func (p *JavaPattern) goLayout() string {
	var b strings.Builder
	for _, tk := range p.toks {
		if tk.letter == 0 {
			b.WriteString(tk.lit)
			continue
		}
		if tk.letter == 'S' {
			s := strings.TrimRight(b.String(), ".,")
			b.Reset()
			b.WriteString(s)
			b.WriteString(".999999999")
			continue
		}
		b.WriteString(goField(tk))
	}
	return b.String()
}

func goField(tk javaTok) string {
	switch tk.letter {
	case 'G':
		return "AD"
	case 'y', 'Y':
		if tk.n == 2 {
			return "06"
		}
		return "2006"
	case 'M':
		return [...]string{"1", "01", "Jan", "January"}[tk.n-1]
	case 'E':
		if tk.n < 4 {
			return "Mon"
		}
		return "Monday"
	case 'd':
		return [...]string{"2", "02"}[tk.n-1]
	case 'H':
		return "15"
	case 'h':
		return [...]string{"3", "03"}[tk.n-1]
	case 'a':
		return "PM"
	case 'm':
		return [...]string{"4", "04"}[tk.n-1]
	case 's':
		return [...]string{"5", "05"}[tk.n-1]
	case 'z':
		return "MST"
	case 'Z':
		return "-0700"
	}
	return [...]string{"Z07", "Z0700", "Z07:00"}[tk.n-1]
}

// Parse reads s with the pattern; a value without a zone is in loc.
func (p *JavaPattern) Parse(s string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation(p.layout, s, orUTC(loc))
	if err != nil {
		return time.Time{}, fmt.Errorf("cannot parse %q with format %q: %w", s, p.src, err)
	}
	return t, nil
}

func orUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// Auto-detected layouts, grouped by the character after the date so that a
// string is only tried against layouts that can match it.
var (
	isoT = [...]string{
		time.RFC3339Nano,                // fraction optional when parsing
		"2006-01-02T15:04:05Z0700",      // offset without colon
		"2006-01-02T15:04:05",           // no zone (fraction still accepted)
		"2006-01-02T15:04Z07:00",        // no seconds
		"2006-01-02T15:04",              // no seconds, no zone
		"2006-01-02T15:04:05 Z07:00",    // space before the offset
		"2006-01-02T15:04:05.999999999", // explicit fraction, no zone
	}
	isoSpace = [...]string{
		"2006-01-02 15:04:05",
		"2006-01-02 15:04:05Z07:00",
		"2006-01-02 15:04:05 Z07:00",
		"2006-01-02 15:04:05 -0700",
		"2006-01-02 15:04:05 -0700 MST", // Go's time.String()
		"2006-01-02 15:04:05 MST",
		"2006-01-02 15:04",
		"2006-01-02 15",
	}
	otherLayouts = [...]string{
		"2006-01-02",
		"2006-1-2 15:4:5",
		"2006-1-2 15:4",
		"2006-1-2",
		"2006/01/02 15:04:05",
		"2006/1/2 15:4:5",
		"2006/1/2",
		"2006.01.02 15:04:05",
		"2006.1.2",
		"1/2/2006 15:4:5",
		"1/2/2006",
		"20060102150405",
		"20060102",
		"2006-1",
		time.RFC1123Z, time.RFC1123, time.RFC850, time.RFC822Z, time.RFC822,
		time.ANSIC, time.UnixDate, time.RubyDate,
		"Jan 2, 2006 15:04:05",
		"Jan 2, 2006",
		"2 Jan 2006 15:04:05",
		"2 Jan 2006",
	}
)

// ParseDatetime parses s with a Java-style layout, or with auto-detection of
// common layouts (RFC 3339 / ISO 8601 with or without fraction and zone,
// "2006-01-02 15:04:05[.fff]", date only, RFC 1123 ...) when layout is "".
// Strings without a zone are read in loc (UTC when nil).
func ParseDatetime(s, layout string, loc *time.Location) (time.Time, error) {
	if layout != "" {
		p, err := CompileJava(layout)
		if err != nil {
			return time.Time{}, err
		}
		return p.Parse(s, loc)
	}
	s = strings.TrimSpace(s)
	loc = orUTC(loc)
	var cands []string
	switch {
	case len(s) > 10 && s[4] == '-' && s[7] == '-' && s[10] == 'T':
		cands = isoT[:]
	case len(s) > 10 && s[4] == '-' && s[7] == '-' && s[10] == ' ':
		cands = isoSpace[:]
	default:
		cands = otherLayouts[:]
	}
	for _, l := range cands {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot parse %q as datetime: unknown layout", s)
}

// ToTime converts a datetime argument: a datetime value, an epoch-ms number
// (presented in loc) or a string parsed by auto-detection.
func ToTime(v Value, loc *time.Location) (time.Time, error) {
	loc = orUTC(loc)
	switch v.Kind() {
	case Datetime:
		return v.Time(), nil
	case Int:
		return time.UnixMilli(v.Int()).In(loc), nil
	case Float:
		f := v.Float()
		if math.IsNaN(f) || f >= math.MaxInt64 || f < math.MinInt64 {
			return time.Time{}, fmt.Errorf("cannot convert float(%v) to datetime: out of range", f)
		}
		return time.UnixMilli(int64(f)).In(loc), nil
	case Uint:
		return time.Time{}, fmt.Errorf("cannot convert bigint(%d) to datetime: out of range", v.Uint())
	case String:
		return ParseDatetime(v.Str(), "", loc)
	}
	return time.Time{}, fmt.Errorf("cannot convert %s to datetime", v.Kind())
}
