package eventrow

import (
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
	"github.com/valyala/fastjson"
)

// tagsIn holds event or reading tags undecoded: the JSON text (JSON input)
// or the decoded map (CBOR, DTO). Most rules never read tags, so the struct
// value is built only when meta() asks for it.
type tagsIn struct {
	json string
	gov  map[string]any
}

// value builds the tags struct; absent tags are an empty struct.
func (t tagsIn) value() value.Value {
	if t.json != "" {
		v, err := fastjson.Parse(t.json)
		if err == nil {
			// A fresh parser per call: its memory is not reused, so the
			// strings it yields are durable and need no copy.
			c := conv{}
			return c.fromFJ(v)
		}
	}
	if t.gov != nil {
		c := conv{}
		return c.fromGo(t.gov)
	}
	return value.FromObject(nil)
}

// readingMeta is the recorded metadata of one reading. prov is the provenance
// the reading's column points to.
type readingMeta struct {
	prov         row.Prov
	id           string
	deviceName   string
	profileName  string
	resourceName string
	origin       int64
	tags         tagsIn
}

// eventMeta implements row.Meta for an EdgeX row (edgex.md §10.9). It is
// immutable once built, so concurrent meta() calls from several rules are
// safe; values are built per call.
type eventMeta struct {
	id, deviceName, profileName, sourceName string
	origin                                  int64
	tags                                    tagsIn
	correlationID, topic                    string
	readings                                []readingMeta
}

var _ row.Meta = (*eventMeta)(nil)

// Get returns an event key, or the metadata struct of a reading. Event keys
// win over readings of the same name, as in eKuiper.
func (m *eventMeta) Get(key string) (value.Value, bool) {
	if v, ok := m.eventKey(key); ok {
		return v, true
	}
	// Duplicate resource names: the last reading wins.
	for i := len(m.readings) - 1; i >= 0; i-- {
		if m.readings[i].resourceName == key {
			return m.readings[i].object(), true
		}
	}
	return value.NullValue, false
}

func (m *eventMeta) eventKey(key string) (value.Value, bool) {
	switch key {
	case "id":
		return value.FromString(m.id), true
	case "deviceName":
		return value.FromString(m.deviceName), true
	case "profileName":
		return value.FromString(m.profileName), true
	case "sourceName":
		return value.FromString(m.sourceName), true
	case "origin":
		return value.FromInt(m.origin), true
	case "tags":
		return m.tags.value(), true
	case "correlationid":
		return value.FromString(m.correlationID), true
	case "receivedTopic":
		return value.FromString(m.topic), true
	}
	return value.NullValue, false
}

var eventKeys = [...]string{"id", "deviceName", "profileName", "sourceName", "origin", "tags", "correlationid", "receivedTopic"}

// All returns every reading's struct, then the event keys on top.
func (m *eventMeta) All() value.Value {
	out := make(map[string]value.Value, len(m.readings)+len(eventKeys))
	for i := range m.readings {
		out[m.readings[i].resourceName] = m.readings[i].object()
	}
	for _, k := range eventKeys {
		out[k], _ = m.eventKey(k)
	}
	return value.FromObject(out)
}

func (r *readingMeta) object() value.Value {
	o := make(map[string]value.Value, 8)
	o["id"] = value.FromString(r.id)
	o["origin"] = value.FromInt(r.origin)
	o["deviceName"] = value.FromString(r.deviceName)
	o["profileName"] = value.FromString(r.profileName)
	o["valueType"] = value.FromString(r.prov.ValueType)
	if r.prov.MediaType != "" {
		o["mediaType"] = value.FromString(r.prov.MediaType)
	}
	o["units"] = value.FromString(r.prov.Units)
	o["tags"] = r.tags.value()
	return value.FromObject(o)
}
