package eventrow

import (
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/row"
)

// FromDTO converts an event the SDK already decoded (the stock pipeline path,
// tests). It returns a nil row when no reading yields a column (the
// ErrNoReadings case of the decoder); Stats says why. Unparsable readings
// are counted, not logged: there is no logger on this path.
func FromDTO(ev dtos.Event, topic, correlationID string) (*row.Row, Stats) {
	if len(ev.Readings) == 0 {
		return nil, Stats{}
	}
	// No arena: DTO strings are already durable Go strings, and each nested
	// JSON parse (array values) gets a fresh parser.
	c := &conv{}
	in := eventIn{
		id: ev.Id, deviceName: ev.DeviceName, profileName: ev.ProfileName, sourceName: ev.SourceName,
		origin: ev.Origin, tags: tagsIn{gov: nonEmpty(ev.Tags)}, readings: len(ev.Readings),
	}
	// The SDK has already restored optimized payloads (core-contracts does it
	// on decode), so no fill-in here.
	b := builder{c: c, log: obs.NopLogger{}}
	b.begin(&in, topic, correlationID)
	for i := range ev.Readings {
		r := dtoReading(c, &ev.Readings[i])
		b.add(&r)
	}
	return b.finish(), b.st
}

func dtoReading(c *conv, br *dtos.BaseReading) readingIn {
	r := readingIn{
		id: br.Id, deviceName: br.DeviceName, profileName: br.ProfileName, resourceName: br.ResourceName,
		valueType: br.ValueType, units: br.Units, mediaType: br.MediaType, origin: br.Origin,
		tags: tagsIn{gov: nonEmpty(br.Tags)},
	}
	if br.IsNull() {
		return r // every value field absent: NULL
	}
	switch {
	case br.NumericValue != nil:
		r.value = c.goSrc(br.NumericValue)
	default:
		r.value = src{kind: srcText, text: br.Value}
	}
	if br.BinaryValue != nil {
		r.binary = src{kind: srcGo, gv: br.BinaryValue}
	}
	if br.ObjectValue != nil {
		r.object = src{kind: srcGo, gv: br.ObjectValue}
	}
	return r
}
