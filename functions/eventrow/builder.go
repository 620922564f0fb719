package eventrow

import (
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/row"
)

// Stats counts what happened to the readings of one event, for the source's
// metrics (decode_errors_total, lossy StringArrays, …).
type Stats struct {
	Readings          int // readings in the event
	Columns           int // columns in the row
	NullReadings      int // readings decoded as NULL (column present)
	BadReadings       int // values that could not be parsed for their valueType (column omitted)
	LossyStringArrays int // StringArray values in the pre-4.0.3 "[a, b]" form
	UnknownTypes      int // readings with an unknown valueType (kept as the raw string)
	Unnamed           int // readings without resourceName (skipped)
	Duplicates        int // readings that replaced an earlier column of the same name
}

// eventIn is the event header in a format-neutral form; strings may be
// transient views into parser memory until the builder keeps them.
type eventIn struct {
	id, deviceName, profileName, sourceName string
	origin                                  int64
	tags                                    tagsIn
	readings                                int
}

// readingIn is one reading in a format-neutral form.
type readingIn struct {
	id, deviceName, profileName, resourceName string
	valueType, units, mediaType               string
	origin                                    int64
	value, binary, object                     src
	tags                                      tagsIn
}

// rowBlock puts a row and its metadata in one allocation. Events with few
// readings (device-virtual sends one per event) also get their columns and
// reading metadata inline, so the whole row is a single allocation.
type rowBlock struct {
	r row.Row
	m eventMeta
}

type rowBlock1 struct {
	rowBlock
	cols [1]row.Col
	rds  [1]readingMeta
}

type rowBlock4 struct {
	rowBlock
	cols [4]row.Col
	rds  [4]readingMeta
}

// newBlock allocates a row for n readings.
func newBlock(n int) (*rowBlock, []row.Col, []readingMeta) {
	switch {
	case n == 1:
		b := &rowBlock1{}
		return &b.rowBlock, b.cols[:0], b.rds[:0]
	case n <= 4:
		b := &rowBlock4{}
		return &b.rowBlock, b.cols[:0:n], b.rds[:0:n]
	}
	return &rowBlock{}, make([]row.Col, 0, n), make([]readingMeta, 0, n)
}

// builder assembles one row from an event and its readings.
type builder struct {
	c         *conv
	log       obs.Logger
	optimized bool
	blk       *rowBlock
	st        Stats
}

// begin starts the row of event ev. topic and corr must be durable.
func (b *builder) begin(ev *eventIn, topic, corr string) {
	c := b.c
	blk, cols, rds := newBlock(ev.readings)
	blk.m = eventMeta{
		id:            c.keep(ev.id),
		deviceName:    c.keep(ev.deviceName),
		profileName:   c.keep(ev.profileName),
		sourceName:    c.keep(ev.sourceName),
		origin:        ev.origin,
		tags:          tagsIn{json: c.keep(ev.tags.json), gov: ev.tags.gov},
		correlationID: corr,
		topic:         topic,
		readings:      rds,
	}
	blk.r = row.Row{
		Cols:  cols,
		Meta:  &blk.m,
		Topic: topic,
		ET:    ev.origin / 1e6,
	}
	b.blk = blk
	b.st = Stats{Readings: ev.readings}
}

// fill restores the fields EDGEX_OPTIMIZE_EVENT_PAYLOAD senders strip, as
// core-contracts does on decode.
func (b *builder) fill(r *readingIn) {
	m := &b.blk.m
	if r.deviceName == "" {
		r.deviceName = m.deviceName
	}
	if r.profileName == "" {
		r.profileName = m.profileName
	}
	if r.origin == 0 {
		r.origin = m.origin
	}
	if r.resourceName == "" && b.st.Readings == 1 {
		r.resourceName = m.sourceName
	}
}

// same returns the event's durable copy when s repeats it, so readings of one
// device share the event's strings.
func (b *builder) same(s, ev string) string {
	if s == ev {
		return ev
	}
	return b.c.keep(s)
}

// add records a reading's metadata and, when its value parses, its column.
func (b *builder) add(r *readingIn) {
	if b.optimized {
		b.fill(r)
	}
	if r.resourceName == "" {
		b.st.Unnamed++
		return
	}
	m := &b.blk.m
	vt, known := lookupType(r.valueType)
	vtName := vt.name // the constant table's string: no copy
	if !known || vtName != r.valueType {
		vtName = b.c.keep(r.valueType)
	}
	m.readings = append(m.readings, readingMeta{
		prov: row.Prov{
			ValueType: vtName,
			Units:     b.c.keep(r.units),
			MediaType: b.c.keep(r.mediaType),
		},
		id:           b.c.keep(r.id),
		deviceName:   b.same(r.deviceName, m.deviceName),
		profileName:  b.same(r.profileName, m.profileName),
		resourceName: b.c.keep(r.resourceName),
		origin:       r.origin,
		tags:         tagsIn{json: b.c.keep(r.tags.json), gov: r.tags.gov},
	})
	rm := &m.readings[len(m.readings)-1]
	if !known {
		b.st.UnknownTypes++
		b.log.Warnf("eventrow: device %q resource %q: unknown valueType %q, value kept as a string",
			m.deviceName, rm.resourceName, r.valueType)
	}
	v, out := b.c.convert(r, vt)
	switch out {
	case badValue:
		b.st.BadReadings++
		b.log.Warnf("eventrow: device %q resource %q: cannot parse %s value %q; reading omitted",
			m.deviceName, rm.resourceName, r.valueType, logText(r))
		return
	case okNull:
		b.st.NullReadings++
	case lossyValue:
		b.st.LossyStringArrays++
	}
	b.setCol(row.Col{Name: rm.resourceName, Val: v, Prov: &rm.prov})
}

// setCol appends a column; a repeated name replaces the earlier value in
// place (last reading wins, as in eKuiper).
func (b *builder) setCol(col row.Col) {
	cols := b.blk.r.Cols
	for i := range cols {
		if cols[i].Name == col.Name {
			cols[i] = col
			b.st.Duplicates++
			return
		}
	}
	b.blk.r.Cols = append(cols, col)
}

// finish returns the row, or nil when no reading produced a column.
func (b *builder) finish() *row.Row {
	b.st.Columns = len(b.blk.r.Cols)
	if b.st.Columns == 0 {
		return nil
	}
	return &b.blk.r
}

// logText is the raw value of a reading for a warning, cut to a readable size.
func logText(r *readingIn) string {
	t := "<" + srcName(r.value.kind) + ">"
	for _, s := range []*src{&r.value, &r.binary, &r.object} {
		if s.kind == srcText || s.kind == srcNumber || s.kind == srcRaw {
			t = s.text
			break
		}
	}
	if len(t) > 80 {
		t = t[:77] + "..."
	}
	return t
}

func srcName(k srcKind) string {
	switch k {
	case srcAbsent:
		return "absent"
	case srcNull:
		return "null"
	case srcBool:
		return "bool"
	case srcRaw, srcGo:
		return "structured"
	}
	return "value"
}
