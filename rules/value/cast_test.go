package value

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

func TestCast(t *testing.T) {
	ts := time.Date(2024, 1, 2, 3, 4, 5, 600e6, time.UTC)
	cases := []struct {
		in   Value
		typ  string
		want Value
	}{
		{FromFloat(1.2), "bigint", FromInt(1)},
		{FromFloat(-1.9), "bigint", FromInt(-1)},
		{FromFloat(1e19), "bigint", FromUint(1e19)},
		{FromInt(5), "bigint", FromInt(5)},
		{FromString("-42"), "bigint", FromInt(-42)},
		{FromString("18446744073709551615"), "bigint", FromUint(math.MaxUint64)},
		{True, "bigint", FromInt(1)},
		{FromTime(ts), "bigint", FromInt(ts.UnixMilli())},
		{FromInt(3), "float", FromFloat(3)},
		{FromString("2.5"), "float", FromFloat(2.5)},
		{False, "float", FromFloat(0)},
		{FromFloat(1.2), "string", FromString("1.2")},
		{FromFloat(1e21), "string", FromString("1000000000000000000000")},
		{True, "string", FromString("true")},
		{FromUint(math.MaxUint64), "string", FromString("18446744073709551615")},
		{FromBytes([]byte("hi")), "string", FromString("aGk=")},
		{FromArray([]Value{FromInt(1), FromString("a")}), "string", FromString(`[1,"a"]`)},
		{FromString("true"), "boolean", True},
		{FromString("1"), "boolean", True},
		{FromString("F"), "boolean", False},
		{FromFloat(0.0), "boolean", False},
		{FromInt(-3), "boolean", True},
		{FromString("aGk="), "bytea", FromBytes([]byte("hi"))},
		{FromString("aGk"), "bytea", FromBytes([]byte("hi"))},
		{NullValue, "bigint", NullValue},
	}
	for _, c := range cases {
		got, err := Cast(c.in, c.typ, "")
		if err != nil {
			t.Errorf("cast(%s, %s): %v", describe(c.in), c.typ, err)
			continue
		}
		if eq := got.Kind() == c.want.Kind() && (got.IsNull() || deepEqual(got, c.want)); !eq {
			t.Errorf("cast(%s, %s) = %s, want %s", describe(c.in), c.typ, describe(got), describe(c.want))
		}
	}
}

func TestCastDatetime(t *testing.T) {
	got, err := Cast(FromInt(1541152486013), "datetime", "")
	if err != nil || got.Kind() != Datetime || got.Time().UnixMilli() != 1541152486013 {
		t.Fatalf("epoch ms: %s, %v", describe(got), err)
	}
	got, err = Cast(FromString("2024-03-04 05:06:07"), "datetime", "")
	if err != nil || !got.Time().Equal(time.Date(2024, 3, 4, 5, 6, 7, 0, time.UTC)) {
		t.Fatalf("auto-detected string: %s, %v", describe(got), err)
	}
	loc := time.FixedZone("plus2", 7200)
	got, err = CastIn(FromString("2024-03-04 05:06:07"), "datetime", "", loc)
	if err != nil || got.Time().UTC().Hour() != 3 {
		t.Fatalf("zone-less string read in loc: %s, %v", describe(got), err)
	}
	got, err = Cast(FromString("04/03/2024 05:06"), "datetime", "dd/MM/yyyy HH:mm")
	if err != nil || !got.Time().Equal(time.Date(2024, 3, 4, 5, 6, 0, 0, time.UTC)) {
		t.Fatalf("layout string: %s, %v", describe(got), err)
	}
	if s := Text(FromTime(time.Date(2024, 3, 4, 5, 6, 7, 8e6, time.UTC))); s != "2024-03-04T05:06:07.008Z" {
		t.Errorf("datetime text %q", s)
	}
}

func TestCastErrors(t *testing.T) {
	for _, c := range []struct {
		in  Value
		typ string
		msg string
	}{
		{FromString("1.5"), "bigint", "cannot cast string(1.5) to bigint: not an integer"},
		{FromString("x"), "float", "cannot cast string(x) to float: not a number"},
		{FromString("yes"), "boolean", "cannot cast string(yes) to boolean: not a boolean"},
		{FromFloat(1e30), "bigint", "cannot cast float(1000000000000000000000000000000) to bigint: integer overflow"},
		{FromArray(nil), "bigint", "cannot cast array([]) to bigint: unsupported conversion"},
		{FromString("%%"), "bytea", "cannot cast string(%%) to bytea: invalid base64"},
		{FromString("nope"), "datetime", "cannot cast string(nope) to datetime"},
		{True, "datetime", "cannot cast boolean(true) to datetime: unsupported conversion"},
		{FromInt(1), "int", `unknown cast type "int"`},
	} {
		_, err := Cast(c.in, c.typ, "")
		if err == nil || !strings.HasPrefix(err.Error(), c.msg) {
			t.Errorf("cast(%s, %s): error %v, want prefix %q", describe(c.in), c.typ, err, c.msg)
		}
	}
}

func TestGoConversions(t *testing.T) {
	ts := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	var doc any
	if err := json.Unmarshal([]byte(`{"a":[1,2.5,"x",null,true],"b":{"c":-1}}`), &doc); err != nil {
		t.Fatal(err)
	}
	got := FromGo(doc)
	if ToJSON(got) != `{"a":[1,2.5,"x",null,true],"b":{"c":-1}}` || got.Obj()["a"].Arr()[0].Kind() != Float {
		t.Errorf("FromGo(json) = %s", ToJSON(got))
	}
	checks := []struct {
		in   any
		want string
		kind Kind
	}{
		{json.Number("18446744073709551615"), "18446744073709551615", Uint},
		{json.Number("12"), "12", Int},
		{json.Number("1.5"), "1.5", Float},
		{uint8(7), "7", Int},
		{float32(0.5), "0.5", Float},
		{[]string{"a", "b"}, `["a","b"]`, Array},
		{[]float64{1.5}, `[1.5]`, Array},
		{[]int64{-1}, `[-1]`, Array},
		{map[string]string{"k": "v"}, `{"k":"v"}`, Object},
		{[]byte("hi"), `"aGk="`, Bytes},
		{ts, `"2024-01-02T03:04:05.000Z"`, Datetime},
		{(*int)(nil), "null", Null},
		{struct{ A int }{1}, `"{1}"`, String},
	}
	for _, c := range checks {
		v := FromGo(c.in)
		if v.Kind() != c.kind || ToJSON(v) != c.want {
			t.Errorf("FromGo(%#v) = %s %s, want %v %s", c.in, v.Kind(), ToJSON(v), c.kind, c.want)
		}
	}
	back := ToGo(FromArray([]Value{FromInt(1), FromUint(math.MaxUint64), FromFloat(1.5), FromTime(ts), NullValue}))
	b, _ := json.Marshal(back)
	if string(b) != `[1,18446744073709551615,1.5,"2024-01-02T03:04:05Z",null]` {
		t.Errorf("ToGo round trip: %s", b)
	}
}
