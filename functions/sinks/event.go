package sinks

import (
	"encoding/base64"
	"fmt"
	"math"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/common"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"
	"github.com/google/uuid"

	"github.com/oort-rules/oort/functions/wallclock"
	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// Default event identity (rules-api.md §2.4.1, kept from eKuiper).
const (
	DefaultDeviceName  = "ekuiper"
	DefaultProfileName = "ekuiperProfile"
	defaultMediaType   = "application/octet-stream"
)

// ReadingError reports a column that could not become a reading; the rest
// of the event is still published.
type ReadingError struct {
	Column    string
	ValueType string
	Err       error
}

func (e *ReadingError) Error() string {
	return fmt.Sprintf("column %q as %s: reading dropped: %v", e.Column, e.ValueType, e.Err)
}
func (e *ReadingError) Unwrap() error { return e.Err }

// RowToEvent builds the EdgeX event of one result row (edgex.md §11.1 steps
// 1–4). The returned errors are *ReadingError values for dropped readings,
// except when the event itself could not be built (a template error): then
// the event is the zero Event and the single error is not a *ReadingError.
// An event without readings means nothing is to be published.
func RowToEvent(r *row.Row, p *EdgeXProps, ruleID string, sendNil bool) (dtos.Event, []error) {
	meta := metadataOf(r, p.Metadata)
	ev, err := eventIdentity(r, p, ruleID, meta)
	if err != nil {
		return dtos.Event{}, []error{err}
	}
	ev.Readings = make([]dtos.BaseReading, 0, len(r.Cols))
	var errs []error
	for i := range r.Cols {
		c := &r.Cols[i]
		if p.Metadata != "" && c.Name == p.Metadata {
			continue
		}
		rd, ok, err := buildReading(c, p.ValueTypes, &ev, readingMeta(meta, c.Name), sendNil)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ok {
			ev.Readings = append(ev.Readings, rd)
		}
	}
	return ev, errs
}

// metadataOf returns the meta(*) map held by the metadata column, if any.
func metadataOf(r *row.Row, col string) map[string]value.Value {
	if col == "" {
		return nil
	}
	v, ok := r.Get(col)
	if !ok || v.Kind() != value.Object {
		return nil
	}
	return v.Obj()
}

// readingMeta returns the per-reading map meta(*) nests under a reading name.
func readingMeta(meta map[string]value.Value, name string) map[string]value.Value {
	if v, ok := meta[name]; ok && v.Kind() == value.Object {
		return v.Obj()
	}
	return nil
}

func metaString(m map[string]value.Value, key string) string {
	if v, ok := m[key]; ok && v.Kind() == value.String {
		return v.Str()
	}
	return ""
}

// metaOrigin accepts any integer or float number (edgex.md §11.1 step 2:
// eKuiper only accepted float64 and lost int64 origins).
func metaOrigin(m map[string]value.Value) int64 {
	v, ok := m["origin"]
	if !ok {
		return 0
	}
	switch v.Kind() {
	case value.Int:
		return v.Int()
	case value.Float:
		if f := v.Float(); f > 0 && f < math.MaxInt64 {
			return int64(f)
		}
	}
	return 0
}

// metaID returns the metadata id when it is a UUID, as EdgeX validation requires.
func metaID(m map[string]value.Value) string {
	id := metaString(m, "id")
	if id == "" {
		return ""
	}
	if _, err := uuid.Parse(id); err != nil {
		return ""
	}
	return id
}

// eventIdentity fills names, id, origin and tags (§11.1 steps 1–3).
func eventIdentity(r *row.Row, p *EdgeXProps, ruleID string, meta map[string]value.Value) (dtos.Event, error) {
	device, err := identityName(r, meta, "deviceName", p.DeviceName, DefaultDeviceName)
	if err != nil {
		return dtos.Event{}, err
	}
	profile, err := identityName(r, meta, "profileName", p.ProfileName, DefaultProfileName)
	if err != nil {
		return dtos.Event{}, err
	}
	source, err := identityName(r, meta, "sourceName", p.SourceName, ruleID)
	if err != nil {
		return dtos.Event{}, err
	}
	ev := dtos.NewEvent(profile, device, source)
	if id := metaID(meta); id != "" {
		ev.Id = id
	}
	ev.Origin = metaOrigin(meta)
	if ev.Origin <= 0 {
		ev.Origin = nowClock(p.Clock).Now().UnixNano()
	}
	if t, ok := meta["tags"]; ok && t.Kind() == value.Object && len(t.Obj()) > 0 {
		ev.Tags = toGo(t).(map[string]any)
	}
	return ev, nil
}

func nowClock(c clock.Clock) clock.Clock {
	if c == nil {
		return wallclock.Clock{}
	}
	return c
}

// identityName takes the metadata key, else the (rendered) property, else
// the default; an empty rendering falls back to the default so that a
// missing template field does not make the whole event invalid.
func identityName(r *row.Row, meta map[string]value.Value, key string, prop Text, def string) (string, error) {
	if s := metaString(meta, key); s != "" {
		return s, nil
	}
	s, err := prop.Render(r)
	if err != nil {
		return "", fmt.Errorf("rendering %s: %w", key, err)
	}
	if s == "" {
		return def, nil
	}
	return s, nil
}

// buildReading turns one column into a reading (§11.1 step 4, §11.2). ok is
// false for a skipped NULL column.
func buildReading(c *row.Col, forced map[string]string, ev *dtos.Event, rmeta map[string]value.Value, sendNil bool) (dtos.BaseReading, bool, error) {
	if c.Name == "" {
		return dtos.BaseReading{}, false, &ReadingError{Column: c.Name, Err: fmt.Errorf("%w: empty column name", errKind)}
	}
	vt, src := chooseType(c, forced, rmeta)
	if c.Val.Kind() == value.Array && len(c.Val.Arr()) == 0 && !emptyArrayValid(vt) {
		if src == fromProperty {
			return dtos.BaseReading{}, false, &ReadingError{c.Name, vt, fmt.Errorf("%w: EdgeX rejects an empty %s", errKind, vt)}
		}
		vt = common.ValueTypeStringArray
	}
	device, profile := ev.DeviceName, ev.ProfileName
	if s := metaString(rmeta, "deviceName"); s != "" {
		device = s
	}
	if s := metaString(rmeta, "profileName"); s != "" {
		profile = s
	}
	var rd dtos.BaseReading
	switch {
	case c.Val.IsNull() && !sendNil:
		return rd, false, nil
	case c.Val.IsNull():
		rd = dtos.NewNullReading(profile, device, c.Name, vt)
	default:
		var err error
		if rd, err = valueReading(profile, device, c.Name, vt, c.Val, mediaTypeOf(c, rmeta)); err != nil {
			return rd, false, &ReadingError{c.Name, vt, err}
		}
	}
	decorate(&rd, c, ev, rmeta)
	return rd, true, nil
}

// mediaTypeOf picks a Binary reading's media type: metadata, provenance,
// then application/octet-stream (eKuiper used application/text).
func mediaTypeOf(c *row.Col, rmeta map[string]value.Value) string {
	if s := metaString(rmeta, "mediaType"); s != "" {
		return s
	}
	if c.Prov != nil && c.Prov.MediaType != "" {
		return c.Prov.MediaType
	}
	return defaultMediaType
}

// valueReading builds the reading of a non-NULL value for type vt.
func valueReading(profile, device, name, vt string, v value.Value, mediaType string) (dtos.BaseReading, error) {
	switch vt {
	case common.ValueTypeBinary:
		b, err := binaryOf(v)
		if err != nil {
			return dtos.BaseReading{}, err
		}
		return dtos.NewBinaryReading(profile, device, name, b, mediaType), nil
	case common.ValueTypeObject:
		return dtos.NewObjectReading(profile, device, name, toGo(v)), nil
	case common.ValueTypeObjectArray:
		return dtos.NewObjectReadingWithArray(profile, device, name, toGo(v)), nil
	}
	gv, err := simpleGo(vt, v)
	if err != nil {
		return dtos.BaseReading{}, err
	}
	return dtos.NewSimpleReading(profile, device, name, vt, gv)
}

// binaryOf accepts bytes or a base64 string.
func binaryOf(v value.Value) ([]byte, error) {
	switch v.Kind() {
	case value.Bytes:
		return v.Bytes(), nil
	case value.String:
		b, err := base64.StdEncoding.DecodeString(v.Str())
		if err != nil {
			return nil, fmt.Errorf("%w: string is not base64: %v", errKind, err)
		}
		return b, nil
	}
	return nil, fmt.Errorf("%w: %s is not bytes", errKind, v.Kind())
}

// decorate sets the reading's origin, id, units and tags from the event,
// the metadata and the provenance.
func decorate(rd *dtos.BaseReading, c *row.Col, ev *dtos.Event, rmeta map[string]value.Value) {
	rd.Origin = ev.Origin
	if o := metaOrigin(rmeta); o > 0 {
		rd.Origin = o
	}
	if id := metaID(rmeta); id != "" {
		rd.Id = id
	}
	if c.Prov != nil && c.Prov.Units != "" {
		rd.Units = c.Prov.Units
	} else if s := metaString(rmeta, "units"); s != "" {
		rd.Units = s
	}
	if t, ok := rmeta["tags"]; ok && t.Kind() == value.Object && len(t.Obj()) > 0 {
		rd.Tags = toGo(t).(map[string]any)
	}
}
