package tsql

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// norm converts a value a Host handed over to one of the canonical Go types (int64, float64, bool, string,
// time.Time, GUID, []byte). Hosts are trusted to mostly do this themselves; norm keeps odd values from turning
// into wrong comparisons.
func norm(v Value) Value {
	switch x := v.(type) {
	case nil, int64, float64, bool, string, time.Time, GUID, []byte:
		return v
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case int16:
		return int64(x)
	case int8:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		if x > math.MaxInt64 {
			return float64(x)
		}
		return int64(x)
	case uint:
		if uint64(x) > math.MaxInt64 {
			return float64(x)
		}
		return int64(x)
	case float32:
		return float64(x)
	case *GUID:
		if x == nil {
			return nil
		}
		return *x
	case *time.Time:
		if x == nil {
			return nil
		}
		return *x
	case [16]byte:
		return GUID(x)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// normRow normalizes a row in place when it holds odd values; rows of host tables are copied first.
func needsNorm(row []Value) bool {
	for _, v := range row {
		switch v.(type) {
		case nil, int64, float64, bool, string, time.Time, GUID, []byte:
		default:
			return true
		}
	}
	return false
}

func asTime(v Value) (time.Time, bool) {
	t, ok := v.(time.Time)
	return t, ok
}

// naive drops the location of a time: SQL Server's datetime has none, so two values are compared and subtracted
// by their wall clock.
func naive(t time.Time) time.Time {
	if t.Location() == time.UTC {
		return t
	}
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, mo, d, h, mi, s, t.Nanosecond(), time.UTC)
}

// toText renders a value as the string SQL Server produces when converting it to nvarchar with the default style.
func toText(v Value, from sqlType) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		if x {
			return "1"
		}
		return "0"
	case float64:
		if from.kind == kDecimal {
			return strconv.FormatFloat(x, 'f', from.scale, 64)
		}
		return floatText(x)
	case time.Time:
		return formatDate(x, from, -1)
	case GUID:
		return x.String()
	case []byte:
		return string(x)
	}
	return fmt.Sprint(v)
}

// floatText renders a float as CAST(f AS varchar) does: six significant digits, scientific notation with a
// three-digit exponent for large and small magnitudes.
func floatText(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	s := strconv.FormatFloat(f, 'g', 6, 64)
	i := strings.IndexByte(s, 'e')
	if i < 0 {
		return s
	}
	mant, exp := s[:i], s[i+1:]
	sign := exp[0]
	digits := exp[1:]
	for len(digits) < 3 {
		digits = "0" + digits
	}
	return mant + "e" + string(sign) + digits
}

// truncRunes cuts s to n characters (n <= 0 means no limit).
func truncRunes(s string, n int) string {
	if n <= 0 || len(s) <= n {
		return s
	}
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}

// parseGUID parses the textual form of a uniqueidentifier, with or without braces.
func parseGUID(s string) (GUID, bool) {
	var g GUID
	s = strings.TrimSpace(s)
	if len(s) == 38 && s[0] == '{' && s[37] == '}' {
		s = s[1:37]
	}
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return g, false
	}
	hex := s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:]
	for i := 0; i < 16; i++ {
		b, err := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		if err != nil {
			return g, false
		}
		g[i] = byte(b)
	}
	return g, true
}

// parseBinary decodes the hex digits of a 0x literal (an odd count gets a leading zero, as SQL Server does).
func parseBinary(hex string) []byte {
	if len(hex)%2 == 1 {
		hex = "0" + hex
	}
	out := make([]byte, len(hex)/2)
	for i := range out {
		b, _ := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		out[i] = byte(b)
	}
	return out
}

// maxString bounds every string the interpreter builds: the simulated server has no use for megabytes of text
// and a loop that doubles a string must not exhaust memory.
const maxString = 1 << 20
