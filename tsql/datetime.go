package tsql

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

var monthAbbr = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// monthByName finds a month by its English name or three-letter abbreviation.
func monthByName(s string) (time.Month, bool) {
	if len(s) < 3 {
		return 0, false
	}
	for i, m := range monthAbbr {
		full := time.Month(i + 1).String()
		if strings.EqualFold(s, m) || strings.EqualFold(s, full) {
			return time.Month(i + 1), true
		}
	}
	return 0, false
}

// parseDate parses the character forms of a date and time SQL Server accepts under us_english (mdy): ISO 8601,
// yyyymmdd, yyyy-mm-dd, mm/dd/yyyy, "Mon dd yyyy", each with an optional time; a time alone is on 1900-01-01.
// Styles 103, 104 and 105 read day before month.
func parseDate(s string, style int) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return sqlEpoch, true
	}
	fields := strings.Fields(s)
	if m, ok := monthByName(fields[0]); ok && len(fields) >= 3 {
		return namedDate(m, fields[1], fields[2], strings.Join(fields[3:], " "))
	}
	if len(fields) >= 3 {
		if m, ok := monthByName(fields[1]); ok {
			return namedDate(m, fields[0], fields[2], strings.Join(fields[3:], " "))
		}
	}
	datePart, timePart := s, ""
	if i := strings.IndexAny(s, " T"); i > 0 {
		datePart, timePart = s[:i], strings.TrimSpace(s[i+1:])
	}
	if strings.Contains(datePart, ":") {
		if timePart != "" {
			datePart += " " + timePart
		}
		h, mi, sec, ns, ok := parseClock(datePart)
		if !ok {
			return time.Time{}, false
		}
		return time.Date(1900, 1, 1, h, mi, sec, ns, time.UTC), true
	}
	y, mo, d, ok := parseDay(datePart, style)
	if !ok {
		return time.Time{}, false
	}
	h, mi, sec, ns := 0, 0, 0, 0
	if timePart != "" {
		if h, mi, sec, ns, ok = parseClock(timePart); !ok {
			return time.Time{}, false
		}
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, ns, time.UTC), true
}

func namedDate(m time.Month, day, year, clock string) (time.Time, bool) {
	d, err1 := strconv.Atoi(strings.TrimSuffix(day, ","))
	y, err2 := strconv.Atoi(year)
	if err1 != nil || err2 != nil || !validDay(y, int(m), d) {
		return time.Time{}, false
	}
	h, mi, sec, ns := 0, 0, 0, 0
	if clock != "" {
		var ok bool
		if h, mi, sec, ns, ok = parseClock(clock); !ok {
			return time.Time{}, false
		}
	}
	return time.Date(y, m, d, h, mi, sec, ns, time.UTC), true
}

// parseDay parses the date part: yyyymmdd, yymmdd, or three numbers separated by - / or . (year first when it has
// four digits, else month-day-year, or day-month-year for the dmy styles).
func parseDay(s string, style int) (y, m, d int, ok bool) {
	if allDigits(s) {
		switch len(s) {
		case 8:
			y, _ = strconv.Atoi(s[:4])
			m, _ = strconv.Atoi(s[4:6])
			d, _ = strconv.Atoi(s[6:])
		case 6:
			y, _ = strconv.Atoi(s[:2])
			m, _ = strconv.Atoi(s[2:4])
			d, _ = strconv.Atoi(s[4:])
			y = twoDigitYear(y)
		default:
			return 0, 0, 0, false
		}
		return y, m, d, validDay(y, m, d)
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '/' || r == '.' })
	if len(parts) != 3 {
		return 0, 0, 0, false
	}
	n := [3]int{}
	for i, p := range parts {
		if !allDigits(p) || len(p) > 4 {
			return 0, 0, 0, false
		}
		n[i], _ = strconv.Atoi(p)
	}
	switch {
	case len(parts[0]) == 4:
		y, m, d = n[0], n[1], n[2]
	case style == 103 || style == 104 || style == 105 || style == 3 || style == 4 || style == 5:
		d, m, y = n[0], n[1], n[2]
	default:
		m, d, y = n[0], n[1], n[2]
	}
	if len(parts[2]) <= 2 && len(parts[0]) != 4 {
		y = twoDigitYear(y)
	}
	return y, m, d, validDay(y, m, d)
}

// twoDigitYear applies SQL Server's default two digit year cutoff (2049).
func twoDigitYear(y int) int {
	if y < 50 {
		return 2000 + y
	}
	return 1900 + y
}

func validDay(y, m, d int) bool {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= daysIn(y, time.Month(m))
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// parseClock parses hh[:mi[:ss[.fffffff|:fff]]] with an optional AM or PM.
func parseClock(s string) (h, mi, sec, ns int, ok bool) {
	s = strings.TrimSpace(s)
	upper := strings.ToUpper(s)
	pm, am := strings.HasSuffix(upper, "PM"), strings.HasSuffix(upper, "AM")
	if pm || am {
		s = strings.TrimSpace(s[:len(s)-2])
	}
	frac := ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		s, frac = s[:i], s[i+1:]
	}
	parts := strings.Split(s, ":")
	if len(parts) > 4 || len(parts) < 1 || (len(parts) == 1 && !pm && !am) {
		return 0, 0, 0, 0, false
	}
	if len(parts) == 4 {
		if frac != "" {
			return 0, 0, 0, 0, false
		}
		frac, parts = parts[3], parts[:3]
	}
	vals := [3]int{}
	for i, p := range parts {
		if !allDigits(p) || len(p) > 2 {
			return 0, 0, 0, 0, false
		}
		vals[i], _ = strconv.Atoi(p)
	}
	h, mi, sec = vals[0], vals[1], vals[2]
	if frac != "" {
		if !allDigits(frac) || len(frac) > 9 {
			return 0, 0, 0, 0, false
		}
		for len(frac) < 9 {
			frac += "0"
		}
		ns, _ = strconv.Atoi(frac)
	}
	if pm || am {
		if h < 1 && pm || h > 12 {
			return 0, 0, 0, 0, false
		}
		if pm && h < 12 {
			h += 12
		}
		if am && h == 12 {
			h = 0
		}
	}
	if h > 23 || mi > 59 || sec > 59 {
		return 0, 0, 0, 0, false
	}
	return h, mi, sec, ns, true
}

// formatDate renders a date and time with a CONVERT style (-1: the default of CAST for the source type).
func formatDate(t time.Time, from sqlType, style int) string {
	t = naive(t)
	if style < 0 {
		switch from.kind {
		case kDate:
			style = 23
		case kDateTime2:
			return t.Format("2006-01-02 15:04:05.0000000")
		case kTime:
			return t.Format("15:04:05.0000000")
		default:
			style = 0
		}
	}
	ms := fmt.Sprintf("%03d", t.Nanosecond()/1e6)
	fracSep := "."
	if from.kind == kDateTime2 {
		ms = fmt.Sprintf("%07d", t.Nanosecond()/100)
	}
	switch style {
	case 0, 100:
		return fmt.Sprintf("%s %2d %d %s", monthAbbr[t.Month()-1], t.Day(), t.Year(), ampm(t, false))
	case 9, 109:
		return fmt.Sprintf("%s %2d %d %s", monthAbbr[t.Month()-1], t.Day(), t.Year(), ampm(t, true))
	case 1:
		return t.Format("01/02/06")
	case 101:
		return t.Format("01/02/2006")
	case 2:
		return t.Format("06.01.02")
	case 102:
		return t.Format("2006.01.02")
	case 3:
		return t.Format("02/01/06")
	case 103:
		return t.Format("02/01/2006")
	case 4:
		return t.Format("02.01.06")
	case 104:
		return t.Format("02.01.2006")
	case 5:
		return t.Format("02-01-06")
	case 105:
		return t.Format("02-01-2006")
	case 10:
		return t.Format("01-02-06")
	case 110:
		return t.Format("01-02-2006")
	case 11:
		return t.Format("06/01/02")
	case 111:
		return t.Format("2006/01/02")
	case 12:
		return t.Format("060102")
	case 112:
		return t.Format("20060102")
	case 8, 24, 108:
		return t.Format("15:04:05")
	case 14, 114:
		return t.Format("15:04:05") + ":" + fmt.Sprintf("%03d", t.Nanosecond()/1e6)
	case 13, 113:
		return t.Format("02 Jan 2006 15:04:05") + ":" + fmt.Sprintf("%03d", t.Nanosecond()/1e6)
	case 20, 120:
		return t.Format("2006-01-02 15:04:05")
	case 21, 25, 121:
		return t.Format("2006-01-02 15:04:05") + fracSep + ms
	case 23:
		return t.Format("2006-01-02")
	case 126, 127:
		s := t.Format("2006-01-02T15:04:05")
		if t.Nanosecond() != 0 {
			s += fracSep + ms
		}
		return s
	}
	return fmt.Sprintf("%s %2d %d %s", monthAbbr[t.Month()-1], t.Day(), t.Year(), ampm(t, false))
}

// ampm renders the time of day as style 0 does ("10:00AM") or style 109 ("10:00:00:000AM").
func ampm(t time.Time, long bool) string {
	h := t.Hour()
	suffix := "AM"
	if h >= 12 {
		suffix = "PM"
	}
	h %= 12
	if h == 0 {
		h = 12
	}
	if long {
		return fmt.Sprintf("%2d:%02d:%02d:%03d%s", h, t.Minute(), t.Second(), t.Nanosecond()/1e6, suffix)
	}
	return fmt.Sprintf("%2d:%02d%s", h, t.Minute(), suffix)
}
