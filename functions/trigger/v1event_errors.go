package trigger

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/fxamacker/cbor/v2"
)

// fieldError reports a v1 event field of the wrong type. The decoders' own
// messages name Go types ("Go struct field v1Event[…].origin of type
// int64"); this one names the field as the producer wrote it.
type fieldError struct {
	Field string // e.g. "origin", "readings[2].value"
	Want  string // "an integer", "a string", …
	Got   string // "JSON string", "CBOR positive integer", …
	Err   error  // the decoder's error
}

func (e *fieldError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("expected %s, got %s", e.Want, e.Got)
	}
	return fmt.Sprintf("%s: expected %s, got %s", e.Field, e.Want, e.Got)
}

func (e *fieldError) Unwrap() error { return e.Err }

// asFieldError turns a JSON or CBOR type error into a fieldError whose
// field is prefixed with where; other errors give nil.
func asFieldError(where string, err error) *fieldError {
	var je *json.UnmarshalTypeError
	if errors.As(err, &je) && je.Type != nil {
		return &fieldError{Field: joinField(where, je.Field), Want: kindName(je.Type), Got: "JSON " + je.Value, Err: err}
	}
	var ce *cbor.UnmarshalTypeError
	if errors.As(err, &ce) {
		field := ce.StructFieldName
		if i := strings.LastIndexByte(field, '.'); i >= 0 {
			field = field[i+1:]
		}
		return &fieldError{Field: joinField(where, field), Want: cborTypeName(ce.GoType), Got: "CBOR " + ce.CBORType, Err: err}
	}
	return nil
}

func joinField(where, field string) string {
	switch {
	case where == "":
		return field
	case field == "":
		return where
	}
	return where + "." + field
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.String:
		return "a string"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "base64 text"
		}
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return t.String()
}

func cborTypeName(goType string) string {
	switch {
	case strings.HasPrefix(goType, "int"):
		return "an integer"
	case goType == "string":
		return "a string"
	case goType == "[]uint8":
		return "a byte string"
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	}
	return "a map"
}
