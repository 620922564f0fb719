package table

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/lib/pq"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

const sqlOpenTimeout = 5 * time.Second

// sqlLookup queries a PostgreSQL table by its KEY column with a statement
// prepared once at open.
type sqlLookup struct {
	name, key string
	db        *sql.DB
	stmt      *sql.Stmt
}

// NewSQLFactory builds the sql lookup type (PostgreSQL through lib/pq);
// clk drives the optional cache.
func NewSQLFactory(clk clock.Clock) Factory {
	return func(ctx context.Context, d Def) (Lookup, error) {
		p := props(d.Props)
		url, err := p.str("url", "")
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(url, "postgres://") && !strings.HasPrefix(url, "postgresql://") {
			return nil, fmt.Errorf("property url %q: only postgres:// URLs are supported", redactURL(url))
		}
		if d.DataSource == "" || d.Key == "" {
			return nil, errors.New("sql lookup table needs DATASOURCE (the table name) and KEY")
		}
		co, err := readCacheOptions(p)
		if err != nil {
			return nil, err
		}
		l, err := openSQL(ctx, d, url)
		if err != nil {
			return nil, err
		}
		return withCache(l, co, clk), nil
	}
}

func openSQL(ctx context.Context, d Def, url string) (*sqlLookup, error) {
	db, err := sql.Open("postgres", url)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", redactURL(url), err)
	}
	octx, cancel := context.WithTimeout(ctx, sqlOpenTimeout)
	defer cancel()
	q := "SELECT * FROM " + quoteTable(d.DataSource) + " WHERE " + pq.QuoteIdentifier(d.Key) + " = $1"
	stmt, err := db.PrepareContext(octx, q)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("prepare %q on %s: %w", q, redactURL(url), err)
	}
	return &sqlLookup{name: d.Name, key: d.Key, db: db, stmt: stmt}, nil
}

// quoteTable quotes each part of a possibly schema-qualified table name.
func quoteTable(name string) string {
	parts := strings.Split(name, ".")
	for i, p := range parts {
		parts[i] = pq.QuoteIdentifier(p)
	}
	return strings.Join(parts, ".")
}

// redactURL hides a password in a connection URL for error messages.
func redactURL(u string) string {
	at := strings.LastIndex(u, "@")
	scheme := strings.Index(u, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return u
	}
	cred := u[scheme+3 : at]
	if i := strings.Index(cred, ":"); i >= 0 {
		return u[:scheme+3] + cred[:i] + ":xxxxx" + u[at:]
	}
	return u
}

func (l *sqlLookup) Lookup(ctx context.Context, v value.Value) ([]*row.Row, error) {
	arg, ok := sqlParam(v)
	if !ok {
		return nil, nil
	}
	rs, err := l.stmt.QueryContext(ctx, arg)
	if err != nil {
		var pe *pq.Error
		// A key that cannot be converted to the column's type equals no row.
		if errors.As(err, &pe) && (pe.Code == "22P02" || pe.Code == "22003" || pe.Code == "22007" || pe.Code == "22008") {
			return nil, nil
		}
		return nil, fmt.Errorf("lookup table %s: query %s = %s: %w", l.name, l.key, value.Text(v), err)
	}
	defer rs.Close()
	out, err := scanRows(rs)
	if err != nil {
		return nil, fmt.Errorf("lookup table %s: read rows for %s = %s: %w", l.name, l.key, value.Text(v), err)
	}
	return out, nil
}

// sqlParam converts a key to a driver argument. Integral floats go as
// integers: schemaless JSON numbers are floats, and "3" must match an
// integer column where "3.0" would be rejected by PostgreSQL.
func sqlParam(v value.Value) (any, bool) {
	switch v.Kind() {
	case value.Null:
		return nil, false
	case value.Float:
		f := v.Float()
		if math.IsNaN(f) {
			return nil, false
		}
		if f == math.Trunc(f) && math.Abs(f) < 1<<63 {
			return int64(f), true
		}
		return f, true
	case value.Uint:
		return strconv.FormatUint(v.Uint(), 10), true
	case value.Array, value.Object:
		return value.ToJSON(v), true
	}
	return value.ToGo(v), true
}

func scanRows(rs *sql.Rows) ([]*row.Row, error) {
	types, err := rs.ColumnTypes()
	if err != nil {
		return nil, err
	}
	var out []*row.Row
	dest := make([]any, len(types))
	ptrs := make([]any, len(types))
	for i := range dest {
		ptrs[i] = &dest[i]
	}
	for rs.Next() {
		if err := rs.Scan(ptrs...); err != nil {
			return nil, err
		}
		r := &row.Row{Cols: make([]row.Col, len(types))}
		for i, t := range types {
			r.Cols[i] = row.Col{Name: t.Name(), Val: sqlValue(dest[i], t.DatabaseTypeName())}
		}
		out = append(out, r)
	}
	return out, rs.Err()
}

// sqlValue converts what lib/pq returns. Types it does not decode itself
// (numeric, json, uuid, arrays, ...) arrive as text bytes.
func sqlValue(x any, dbType string) value.Value {
	switch t := x.(type) {
	case nil:
		return value.NullValue
	case int64:
		return value.FromInt(t)
	case float64:
		return value.FromFloat(t)
	case bool:
		return value.FromBool(t)
	case string:
		return value.FromString(t)
	case time.Time:
		return value.FromTime(t)
	case []byte:
		return sqlBytes(t, dbType)
	}
	return value.FromGo(x)
}

func sqlBytes(b []byte, dbType string) value.Value {
	switch dbType {
	case "BYTEA":
		return value.FromBytes(b)
	case "JSON", "JSONB":
		if v, err := value.ParseJSON(b, true); err == nil {
			return v
		}
	case "NUMERIC", "DECIMAL":
		s := string(b)
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return value.FromInt(i)
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return value.FromFloat(f)
		}
	}
	return value.FromString(string(b))
}

func (l *sqlLookup) Close() error {
	l.stmt.Close()
	return l.db.Close()
}
