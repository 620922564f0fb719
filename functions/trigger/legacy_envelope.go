package trigger

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
)

// legacyEnvelope covers the JSON envelopes of EdgeX 1.x (ZeroMQ), 2.x
// (PascalCase keys) and 3.x (camelCase keys): encoding/json matches keys
// case-insensitively, so one struct reads all three.
type legacyEnvelope struct {
	CorrelationID string          `json:"correlationID"`
	ContentType   string          `json:"contentType"`
	ErrorCode     int             `json:"errorCode"`
	Payload       json.RawMessage `json:"payload"`
}

// UnwrapLegacyEnvelope returns the event payload of a legacy JSON envelope
// with its content type and correlation id. The payload is normally base64
// (a []byte field in EdgeX ≤ 3); an embedded JSON object is accepted too.
func UnwrapLegacyEnvelope(data []byte) (payload []byte, contentType, correlationID string, err error) {
	var env legacyEnvelope
	if err := json.Unmarshal(data, &env); err != nil {
		return nil, "", "", fmt.Errorf("envelope is not valid JSON: %w", err)
	}
	if env.ErrorCode != 0 {
		return nil, "", "", fmt.Errorf("envelope carries errorCode %d, not an event", env.ErrorCode)
	}
	p := env.Payload
	switch {
	case len(p) == 0 || string(p) == "null":
		return nil, "", "", errors.New("envelope has no payload")
	case p[0] == '"':
		var s string
		if err := json.Unmarshal(p, &s); err != nil {
			return nil, "", "", fmt.Errorf("envelope payload: %w", err)
		}
		if payload, err = base64.StdEncoding.DecodeString(s); err != nil {
			return nil, "", "", fmt.Errorf("envelope payload is not base64: %w", err)
		}
	case p[0] == '{':
		payload = p
		if env.ContentType == "" {
			env.ContentType = "application/json"
		}
	default:
		return nil, "", "", fmt.Errorf("envelope payload: expected base64 text or an object, got %.20s", p)
	}
	return payload, env.ContentType, env.CorrelationID, nil
}
