package tsql

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// datePart is a canonical datepart name.
type datePart string

// dateParts maps every datepart name and abbreviation SQL Server accepts to its canonical name.
var dateParts = map[string]datePart{
	"YEAR": "year", "YY": "year", "YYYY": "year",
	"QUARTER": "quarter", "QQ": "quarter", "Q": "quarter",
	"MONTH": "month", "MM": "month", "M": "month",
	"DAYOFYEAR": "dayofyear", "DY": "dayofyear", "Y": "dayofyear",
	"DAY": "day", "DD": "day", "D": "day",
	"WEEK": "week", "WK": "week", "WW": "week",
	"WEEKDAY": "weekday", "DW": "weekday", "W": "weekday",
	"HOUR": "hour", "HH": "hour",
	"MINUTE": "minute", "MI": "minute", "N": "minute",
	"SECOND": "second", "SS": "second", "S": "second",
	"MILLISECOND": "millisecond", "MS": "millisecond",
	"MICROSECOND": "microsecond", "MCS": "microsecond",
	"NANOSECOND": "nanosecond", "NS": "nanosecond",
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// dayNumber is the number of days since 0001-01-01 of a (naive) time's date.
func dayNumber(t time.Time) int64 {
	return floorDiv(t.Unix()+62135596800, 86400)
}

// dateDiff counts the datepart boundaries crossed between a and b, as DATEDIFF does.
func dateDiff(part datePart, a, b time.Time) (int64, *Error) {
	a, b = naive(a), naive(b)
	var n int64
	switch part {
	case "year":
		n = int64(b.Year() - a.Year())
	case "quarter":
		n = int64(b.Year()*4+(int(b.Month())-1)/3) - int64(a.Year()*4+(int(a.Month())-1)/3)
	case "month":
		n = int64(b.Year()*12+int(b.Month())) - int64(a.Year()*12+int(a.Month()))
	case "day", "dayofyear", "weekday":
		n = dayNumber(b) - dayNumber(a)
	case "week":
		// Weeks start on Sunday (DATEFIRST 7); 0001-01-01 was a Monday.
		n = floorDiv(dayNumber(b)+1, 7) - floorDiv(dayNumber(a)+1, 7)
	case "hour":
		n = floorDiv(b.Unix(), 3600) - floorDiv(a.Unix(), 3600)
	case "minute":
		n = floorDiv(b.Unix(), 60) - floorDiv(a.Unix(), 60)
	case "second":
		n = b.Unix() - a.Unix()
	case "millisecond", "microsecond", "nanosecond":
		unit := map[datePart]int64{"millisecond": 1e6, "microsecond": 1e3, "nanosecond": 1}[part]
		sa, sb := a.Unix(), b.Unix()
		if math.Abs(float64(sb-sa)) > float64(math.MaxInt64/1e9) {
			return 0, datediffOverflow()
		}
		n = (sb-sa)*(1e9/unit) + floorDiv(int64(b.Nanosecond()), unit) - floorDiv(int64(a.Nanosecond()), unit)
	}
	if n > math.MaxInt32 || n < math.MinInt32 {
		return 0, datediffOverflow()
	}
	return n, nil
}

func datediffOverflow() *Error {
	return newErr(535, 16, "The datediff function resulted in an overflow. The number of dateparts separating two "+
		"date/time instances is too large. Try to use datediff with a less precise datepart.")
}

// dateAdd adds n dateparts to t. Adding months keeps the day when it exists and otherwise takes the month's last
// day, as SQL Server does.
func dateAdd(part datePart, n int64, t time.Time, typ sqlType) (time.Time, *Error) {
	t = naive(t)
	var r time.Time
	switch part {
	case "year", "quarter", "month":
		months := n
		if part == "year" {
			months = n * 12
		} else if part == "quarter" {
			months = n * 3
		}
		total := int64(t.Year())*12 + int64(t.Month()-1) + months
		y, m := floorDiv(total, 12), total-floorDiv(total, 12)*12+1
		if y < 1 || y > 9999 {
			return t, addOverflow(typ)
		}
		d := t.Day()
		if dim := daysIn(int(y), time.Month(m)); d > dim {
			d = dim
		}
		r = time.Date(int(y), time.Month(m), d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	default:
		var secs, nanos int64
		switch part {
		case "day", "dayofyear", "weekday":
			secs = n * 86400
		case "week":
			secs = n * 7 * 86400
		case "hour":
			secs = n * 3600
		case "minute":
			secs = n * 60
		case "second":
			secs = n
		case "millisecond":
			secs, nanos = floorDiv(n, 1000), (n-floorDiv(n, 1000)*1000)*1e6
		case "microsecond":
			secs, nanos = floorDiv(n, 1e6), (n-floorDiv(n, 1e6)*1e6)*1e3
		case "nanosecond":
			secs, nanos = floorDiv(n, 1e9), n-floorDiv(n, 1e9)*1e9
		}
		r = time.Unix(t.Unix()+secs, int64(t.Nanosecond())+nanos).UTC()
	}
	minYear := 1
	if typ.kind == kDateTime {
		minYear = 1753
	}
	if r.Year() < minYear || r.Year() > 9999 {
		return t, addOverflow(typ)
	}
	return r, nil
}

func addOverflow(typ sqlType) *Error {
	name := typ.name()
	if !typ.isDate() {
		name = "datetime"
	}
	return newErr(517, 16, "Adding a value to a '%s' column caused an overflow.", name)
}

// datePartOf extracts a datepart as DATEPART does (weeks and weekdays with DATEFIRST 7).
func datePartOf(part datePart, t time.Time) int64 {
	t = naive(t)
	switch part {
	case "year":
		return int64(t.Year())
	case "quarter":
		return int64((int(t.Month())-1)/3 + 1)
	case "month":
		return int64(t.Month())
	case "dayofyear":
		return int64(t.YearDay())
	case "day":
		return int64(t.Day())
	case "week":
		jan1 := time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		return int64((t.YearDay()-1+int(jan1.Weekday()))/7 + 1)
	case "weekday":
		return int64(t.Weekday()) + 1
	case "hour":
		return int64(t.Hour())
	case "minute":
		return int64(t.Minute())
	case "second":
		return int64(t.Second())
	case "millisecond":
		return int64(t.Nanosecond() / 1e6)
	case "microsecond":
		return int64(t.Nanosecond() / 1e3)
	case "nanosecond":
		return int64(t.Nanosecond())
	}
	return 0
}

// dateName renders a datepart as DATENAME does.
func dateName(part datePart, t time.Time) string {
	t = naive(t)
	switch part {
	case "month":
		return t.Month().String()
	case "weekday":
		return t.Weekday().String()
	}
	return strconv.FormatInt(datePartOf(part, t), 10)
}

// lookupDatePart finds a datepart by the name written in a call.
func lookupDatePart(name string) (datePart, bool) {
	p, ok := dateParts[strings.ToUpper(name)]
	return p, ok
}
