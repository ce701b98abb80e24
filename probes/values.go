package probes

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ResultSet is one result set of a probe batch, as the SQL runner delivered it.
type ResultSet struct {
	Columns []string
	Rows    [][]any
}

// row reads typed values from one row by column name and remembers the first conversion problem, so the parser
// reads like a list of fields and a bad reply yields one clear error naming the result set and the column.
type row struct {
	tag  string
	cols map[string]int
	vals []any
	err  error
}

func newRow(tag string, cols map[string]int, vals []any) *row {
	return &row{tag: tag, cols: cols, vals: vals}
}

func (r *row) fail(col, format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("probe result %q, column %q: %s", r.tag, col, fmt.Sprintf(format, args...))
	}
}

// value returns the raw value of a column; a missing column is an error, NULL is (nil, true).
func (r *row) value(col string) (any, bool) {
	i, ok := r.cols[col]
	if !ok || i >= len(r.vals) {
		r.fail(col, "missing from the reply")
		return nil, false
	}
	return r.vals[i], true
}

func (r *row) str(col string) string {
	v, ok := r.value(col)
	if !ok || v == nil {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		if len(x) == 16 {
			return guidString(x)
		}
		return string(x)
	case fmt.Stringer:
		return x.String()
	case int64, int32, int, float64, bool:
		return fmt.Sprint(x)
	}
	r.fail(col, "unexpected %T value", v)
	return ""
}

func (r *row) int(col string) int64 {
	v, ok := r.value(col)
	if !ok || v == nil {
		return 0
	}
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case int16:
		return int64(x)
	case uint8:
		return int64(x)
	case float64:
		return int64(x)
	case bool:
		if x {
			return 1
		}
		return 0
	case string, []byte:
		s := strings.TrimSpace(fmt.Sprintf("%s", x))
		if dot := strings.IndexByte(s, '.'); dot >= 0 {
			s = s[:dot] // numeric(25,0) arrives as text "39000000012300001.0" from some drivers
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			r.fail(col, "%q is not an integer", s)
		}
		return n
	}
	r.fail(col, "unexpected %T value", v)
	return 0
}

func (r *row) float(col string) float64 {
	v, ok := r.value(col)
	if !ok || v == nil {
		return 0
	}
	switch x := v.(type) {
	case float64:
		return x
	case float32:
		return float64(x)
	case string, []byte:
		f, err := strconv.ParseFloat(strings.TrimSpace(fmt.Sprintf("%s", x)), 64)
		if err != nil {
			r.fail(col, "%q is not a number", x)
		}
		return f
	}
	return float64(r.int(col))
}

func (r *row) bool(col string) bool {
	v, ok := r.value(col)
	if !ok || v == nil {
		return false
	}
	if b, isBool := v.(bool); isBool {
		return b
	}
	return r.int(col) != 0
}

func (r *row) time(col string) time.Time {
	v, ok := r.value(col)
	if !ok || v == nil {
		return time.Time{}
	}
	t, isTime := v.(time.Time)
	if !isTime {
		r.fail(col, "unexpected %T value, want a datetime", v)
	}
	return wall(t)
}

// wall keeps a server datetime's wall-clock reading and labels it UTC. SQL Server datetimes carry no zone; the
// drivers label them differently, and ages are computed against the server's own GETDATE(), so only the reading
// matters.
func wall(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

// agentTime combines sysjobhistory's run_date (yyyymmdd) and run_time (HHMMSS) integers.
func (r *row) agentTime(dateCol, timeCol string) time.Time {
	d, t := r.int(dateCol), r.int(timeCol)
	if d <= 0 {
		return time.Time{}
	}
	y, m, day := int(d/10000), int(d/100%100), int(d%100)
	hh, mm, ss := int(t/10000), int(t/100%100), int(t%100)
	if y < 1900 || y > 9999 || m < 1 || m > 12 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 59 || t < 0 {
		r.fail(dateCol, "%d %d is not an Agent date and time", d, t)
		return time.Time{}
	}
	return time.Date(y, time.Month(m), day, hh, mm, ss, 0, time.UTC)
}

// guidString renders a uniqueidentifier as go-mssqldb delivers it (SQL Server's mixed-endian byte order).
func guidString(b []byte) string {
	return strings.ToUpper(fmt.Sprintf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%x-%x",
		b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8:10], b[10:16]))
}
