package tds

import (
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"pcfailback/tsql"
)

// asInt converts a value to an integer when that loses nothing.
func asInt(v tsql.Value) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case float64:
		if x == math.Trunc(x) && x >= math.MinInt64 && x < math.MaxInt64 {
			return int64(x), true
		}
	}
	return 0, false
}

// asFloat converts a number to float64.
func asFloat(v tsql.Value) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	}
	return 0, false
}

// asBit converts a value to a bit.
func asBit(v tsql.Value) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case int64:
		return x != 0, true
	}
	return false, false
}

// asNumeric converts an integral number to the magnitude and sign numeric(38,0) carries.
func asNumeric(v tsql.Value) (*big.Int, bool) {
	switch x := v.(type) {
	case int64:
		return big.NewInt(x), true
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) || x != math.Trunc(x) || math.Abs(x) >= 1e38 {
			return nil, false
		}
		n, _ := big.NewFloat(x).Int(nil)
		return n, true
	}
	return nil, false
}

// Date ranges of the wire date types.
var (
	dateTimeMin = time.Date(1753, 1, 1, 0, 0, 0, 0, time.UTC)
	dateTimeMax = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	date2Min    = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
)

// wall is t's calendar date and time of day read as UTC: datetime carries no zone, so the client sees the same
// wall clock the server holds.
func wall(t time.Time) time.Time {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, mo, d, h, mi, s, t.Nanosecond(), time.UTC)
}

// inDateTimeRange says t fits datetime (1753-01-01 to 9999-12-31).
func inDateTimeRange(t time.Time) bool {
	w := wall(t)
	return !w.Before(dateTimeMin) && w.Before(dateTimeMax)
}

// inDateTime2Range says t fits datetime2 (0001-01-01 to 9999-12-31).
func inDateTime2Range(t time.Time) bool {
	w := wall(t)
	return !w.Before(date2Min) && w.Before(dateTimeMax)
}

// appendDateTime appends a datetime: days since 1900-01-01 and 1/300 seconds since midnight.
func appendDateTime(b []byte, t time.Time) []byte {
	w := wall(t)
	midnight := time.Date(w.Year(), w.Month(), w.Day(), 0, 0, 0, 0, time.UTC)
	days := int64(midnight.Sub(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour))
	ns := int64(w.Sub(midnight))
	ticks := (ns*3 + 5_000_000) / 10_000_000
	if ticks >= 300*86400 {
		ticks -= 300 * 86400
		days++
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(int32(days)))
	return binary.LittleEndian.AppendUint32(b, uint32(ticks))
}

// appendDateTime2 appends a datetime2(7): 100 ns units since midnight in 5 bytes, days since 0001-01-01 in 3.
func appendDateTime2(b []byte, t time.Time) []byte {
	w := wall(t)
	midnight := time.Date(w.Year(), w.Month(), w.Day(), 0, 0, 0, 0, time.UTC)
	units := uint64(w.Sub(midnight) / 100)
	days := uint64(midnight.Sub(date2Min) / (24 * time.Hour))
	for i := 0; i < 5; i++ {
		b = append(b, byte(units>>(8*i)))
	}
	return append(b, byte(days), byte(days>>8), byte(days>>16))
}

// guidWire turns a GUID as written ("6F9619FF-8B86-D011-...") into SQL Server's byte order: the first three
// groups little-endian, as the Windows GUID structure stores them.
func guidWire(g tsql.GUID) [16]byte {
	w := g
	w[0], w[1], w[2], w[3] = g[3], g[2], g[1], g[0]
	w[4], w[5] = g[5], g[4]
	w[6], w[7] = g[7], g[6]
	return w
}

// guidFromWire is guidWire's inverse.
func guidFromWire(w []byte) tsql.GUID {
	var g tsql.GUID
	copy(g[:], w)
	g[0], g[1], g[2], g[3] = w[3], w[2], w[1], w[0]
	g[4], g[5] = w[5], w[4]
	g[6], g[7] = w[7], w[6]
	return g
}

// text renders a value as SQL Server converts it to nvarchar, for columns sent as text.
func text(v tsql.Value) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		if x {
			return "1"
		}
		return "0"
	case time.Time:
		return wall(x).Format("2006-01-02 15:04:05.000")
	case tsql.GUID:
		return x.String()
	case []byte:
		return "0x" + strings.ToUpper(hex.EncodeToString(x))
	}
	return ""
}
