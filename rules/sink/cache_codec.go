package sink

import (
	"encoding/base64"
	"fmt"
	"strconv"

	"github.com/valyala/fastjson"

	"github.com/oort-rules/oort/rules/row"
)

// Cache pages hold one message per line as JSON, rows in the typed encoding
// of rules/row (kinds survive a reload exactly):
//
//	message {"n":rows,"p":"<base64 payload>","r":[row...]}

func appendMessage(dst []byte, m message) []byte {
	dst = append(dst, `{"n":`...)
	dst = strconv.AppendInt(dst, int64(m.n), 10)
	if m.payload != nil {
		dst = append(dst, `,"p":"`...)
		dst = base64.StdEncoding.AppendEncode(dst, m.payload)
		dst = append(dst, '"')
	}
	dst = append(dst, `,"r":[`...)
	for i, r := range m.rows {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = row.AppendTyped(dst, r)
	}
	return append(dst, "]}"...)
}

func parseMessage(line []byte) (message, error) {
	var p fastjson.Parser
	v, err := p.ParseBytes(line)
	if err != nil {
		return message{}, fmt.Errorf("invalid cache record: %w", err)
	}
	m := message{n: v.GetInt("n")}
	if pv := v.Get("p"); pv != nil {
		if m.payload, err = base64.StdEncoding.DecodeString(string(pv.GetStringBytes())); err != nil {
			return message{}, fmt.Errorf("invalid cache payload: %w", err)
		}
	}
	for _, rv := range v.GetArray("r") {
		r, err := row.ParseTyped(rv)
		if err != nil {
			return message{}, err
		}
		m.rows = append(m.rows, r)
	}
	return m, nil
}
