package pwsh

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// DateTime values: Get-Date returns the Host's time; scripts format it with .NET format strings (en-US) and
// read its members.

var dayNames = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

func dateMember(t time.Time, name string) Value {
	switch name {
	case "year":
		return int64(t.Year())
	case "month":
		return int64(t.Month())
	case "day":
		return int64(t.Day())
	case "hour":
		return int64(t.Hour())
	case "minute":
		return int64(t.Minute())
	case "second":
		return int64(t.Second())
	case "millisecond":
		return int64(t.Nanosecond() / 1e6)
	case "dayofweek":
		return Enum{Type: "System.DayOfWeek", Name: dayNames[t.Weekday()], Value: int64(t.Weekday())}
	case "dayofyear":
		return int64(t.YearDay())
	case "date":
		y, m, d := t.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
	case "ticks":
		return (t.Unix()+62135596800)*10_000_000 + int64(t.Nanosecond()/100)
	case "kind":
		if t.Location() == time.UTC {
			return Enum{Type: "System.DateTimeKind", Name: "Utc", Value: 1}
		}
		return Enum{Type: "System.DateTimeKind", Name: "Local", Value: 2}
	case "count", "length":
		return int64(1)
	}
	return nil
}

func (in *interp) dateMethod(t time.Time, name string, args []Value, ex extent) (Value, bool, error) {
	num := func() (float64, bool) {
		if len(args) != 1 {
			return 0, false
		}
		n, ok := toNumber(args[0])
		return toFloat(n), ok
	}
	add := func(unit time.Duration) (Value, bool, error) {
		f, ok := num()
		if !ok || math.IsNaN(f) || math.Abs(f*float64(unit)) > 1e18 {
			return nil, true, in.methodError(ex, name, len(args), "Value to add was out of range.\r\nParameter name: value")
		}
		ms := math.Round(f * float64(unit) / float64(time.Millisecond))
		return t.Add(time.Duration(ms) * time.Millisecond), true, nil
	}
	switch name {
	case "adddays":
		return add(24 * time.Hour)
	case "addhours":
		return add(time.Hour)
	case "addminutes":
		return add(time.Minute)
	case "addseconds":
		return add(time.Second)
	case "addmilliseconds":
		return add(time.Millisecond)
	case "addmonths", "addyears":
		if len(args) != 1 {
			break
		}
		n, ok := toInt(args[0])
		if !ok || n < -120000 || n > 120000 {
			return nil, true, in.methodError(ex, name, 1, "Value to add was out of range.\r\nParameter name: value")
		}
		if name == "addyears" {
			n *= 12
		}
		return addMonths(t, int(n)), true, nil
	case "tostring":
		switch len(args) {
		case 0:
			return formatDate(t, "G"), true, nil
		case 1:
			s, err := in.formatValue(t, toStr(args[0]), ex)
			return s, true, err
		}
	case "touniversaltime":
		return t.UTC(), true, nil
	case "tolocaltime":
		return t, true, nil
	case "toshortdatestring":
		return formatDate(t, "d"), true, nil
	case "tolongdatestring":
		return formatDate(t, "D"), true, nil
	case "toshorttimestring":
		return formatDate(t, "t"), true, nil
	case "tolongtimestring":
		return formatDate(t, "T"), true, nil
	case "compareto":
		if len(args) == 1 {
			if o, ok := asTimeIn(args[0], t.Location()); ok {
				return int64(t.Compare(o)), true, nil
			}
		}
	}
	return nil, false, nil
}

// addMonths adds months the .NET way: the day is clipped to the end of the target month.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	total := int(m) - 1 + n
	y += total / 12
	if total%12 < 0 {
		total += 12
		y--
	}
	nm := time.Month(total%12 + 1)
	last := time.Date(y, nm+1, 0, 0, 0, 0, 0, t.Location()).Day()
	return time.Date(y, nm, min(d, last), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
}

// dateLayouts are the forms a string may take when a script converts it to a date.
var dateLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02",
	"01/02/2006 15:04:05", "1/2/2006 3:04:05 PM", "1/2/2006 15:04:05", "1/2/2006 3:04 PM", "1/2/2006",
	"Monday, January 2, 2006 3:04:05 PM", "January 2, 2006", "2 January 2006",
}

// asTime converts a value to a date, reading strings as UTC.
func asTime(v Value) (Value, bool) {
	t, ok := asTimeIn(v, time.UTC)
	if !ok {
		return nil, false
	}
	return t, true
}

// asTimeIn converts a date or a date string (read in loc) to a time.
func asTimeIn(v Value, loc *time.Location) (time.Time, bool) {
	switch v := v.(type) {
	case time.Time:
		return v, true
	case string:
		s := strings.TrimSpace(v)
		for _, l := range dateLayouts {
			if t, err := time.ParseInLocation(l, s, loc); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// standardDateFormats are .NET's one-letter formats in the en-US culture.
var standardDateFormats = map[string]string{
	"d": "M/d/yyyy", "D": "dddd, MMMM d, yyyy", "t": "h:mm tt", "T": "h:mm:ss tt",
	"f": "dddd, MMMM d, yyyy h:mm tt", "F": "dddd, MMMM d, yyyy h:mm:ss tt", "g": "M/d/yyyy h:mm tt",
	"G": "M/d/yyyy h:mm:ss tt", "m": "MMMM d", "M": "MMMM d", "y": "MMMM yyyy", "Y": "MMMM yyyy",
	"s": "yyyy'-'MM'-'dd'T'HH':'mm':'ss", "o": "yyyy'-'MM'-'dd'T'HH':'mm':'ss.fffffffK",
	"O": "yyyy'-'MM'-'dd'T'HH':'mm':'ss.fffffffK", "u": "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
	"r": "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'", "R": "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
}

// formatDate formats t with a .NET standard or custom date format string.
func formatDate(t time.Time, f string) string {
	if f == "" {
		f = "G"
	}
	if std, ok := standardDateFormats[f]; ok {
		if f == "u" || f == "r" || f == "R" {
			t = t.UTC()
		}
		f = std
	}
	p := []rune(f)
	var sb strings.Builder
	pad := func(n, w int) string {
		s := strconv.Itoa(n)
		for len(s) < w {
			s = "0" + s
		}
		return s
	}
	for i := 0; i < len(p); {
		c := p[i]
		n := 1
		for i+n < len(p) && p[i+n] == c {
			n++
		}
		switch c {
		case 'd':
			switch {
			case n <= 2:
				sb.WriteString(pad(t.Day(), n))
			case n == 3:
				sb.WriteString(dayNames[t.Weekday()][:3])
			default:
				sb.WriteString(dayNames[t.Weekday()])
			}
		case 'M':
			switch {
			case n <= 2:
				sb.WriteString(pad(int(t.Month()), n))
			case n == 3:
				sb.WriteString(t.Month().String()[:3])
			default:
				sb.WriteString(t.Month().String())
			}
		case 'y':
			switch {
			case n == 1:
				sb.WriteString(strconv.Itoa(t.Year() % 100))
			case n == 2:
				sb.WriteString(pad(t.Year()%100, 2))
			default:
				sb.WriteString(pad(t.Year(), n))
			}
		case 'h':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			sb.WriteString(pad(h, min(n, 2)))
		case 'H':
			sb.WriteString(pad(t.Hour(), min(n, 2)))
		case 'm':
			sb.WriteString(pad(t.Minute(), min(n, 2)))
		case 's':
			sb.WriteString(pad(t.Second(), min(n, 2)))
		case 'f', 'F':
			digits := pad(t.Nanosecond()/100, 7)[:min(n, 7)]
			if c == 'F' {
				digits = strings.TrimRight(digits, "0")
				if digits == "" && strings.HasSuffix(sb.String(), ".") {
					s := sb.String()
					sb.Reset()
					sb.WriteString(s[:len(s)-1])
				}
			}
			sb.WriteString(digits)
		case 't':
			ampm := "AM"
			if t.Hour() >= 12 {
				ampm = "PM"
			}
			if n == 1 {
				ampm = ampm[:1]
			}
			sb.WriteString(ampm)
		case 'z', 'K':
			_, off := t.Zone()
			if c == 'K' && t.Location() == time.UTC {
				sb.WriteString("Z")
				break
			}
			sign := "+"
			if off < 0 {
				sign, off = "-", -off
			}
			switch {
			case c == 'z' && n == 1:
				sb.WriteString(sign + strconv.Itoa(off/3600))
			case c == 'z' && n == 2:
				sb.WriteString(sign + pad(off/3600, 2))
			default:
				sb.WriteString(sign + pad(off/3600, 2) + ":" + pad(off%3600/60, 2))
			}
		case '\'', '"':
			j := i + 1
			for j < len(p) && p[j] != c {
				j++
			}
			sb.WriteString(string(p[i+1 : min(j, len(p))]))
			i = min(j+1, len(p))
			continue
		case '\\':
			if i+1 < len(p) {
				sb.WriteRune(p[i+1])
			}
			i += 2
			continue
		case '%':
			i++
			continue
		default:
			sb.WriteString(strings.Repeat(string(c), n))
		}
		i += n
	}
	return sb.String()
}
