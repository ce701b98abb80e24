package tsql

import (
	"strconv"
	"strings"
)

func (sc *scope) execRaiserror(s *raiserrorStmt) error {
	msg, msgType, err := sc.eval(s.msg)
	if err != nil {
		return err
	}
	sevV, sevT, err := sc.eval(s.severity)
	if err != nil {
		return err
	}
	stV, stT, err := sc.eval(s.state)
	if err != nil {
		return err
	}
	sev, err := intArg(orZero(sevV), sevT)
	if err != nil {
		return err
	}
	state, err := intArg(orZero(stV), stT)
	if err != nil {
		return err
	}
	var args []Value
	var types []sqlType
	for _, a := range s.args {
		v, t, err := sc.eval(a)
		if err != nil {
			return err
		}
		args, types = append(args, v), append(types, t)
	}
	r := sc.r
	r.sess.rowCount = 0
	if sev < 0 {
		sev = 0
	}
	if sev > 25 {
		sev = 25
	}
	if sev > 18 && !s.log {
		return raise(newErr(2754, 16, "Error severity levels greater than 18 can only be specified by members of the sysadmin role, using the WITH LOG option."))
	}
	if state < 0 || state > 255 {
		state = 1
	}
	number := int32(50000)
	var text string
	if n, ok := norm(msg).(int64); ok && !msgType.isString() {
		if n < 13000 || n == 50000 || n > 2147483647 {
			return raise(newErr(2732, 16, "Error number %d is invalid. The number must be from %d through %d and it cannot be 50000.", n, 13000, 2147483647))
		}
		return raise(newErr(18054, 16, "Error %d, severity %d, state %d was raised, but no message with that error number was found in sys.messages. If error is larger than 50000, make sure the user-defined message is added using sp_addmessage.", n, sev, state))
	}
	if msg != nil {
		text = toText(msg, msgType)
	}
	text, ferr := formatMessage(text, args, types)
	if ferr != nil {
		return raise(ferr)
	}
	text = truncateMessage(text)
	m := Message{Number: number, State: uint8(state), Class: uint8(sev), Text: text, Line: int32(s.Line())}
	if sev <= 10 {
		m.Class = 0
		r.out.Info(m)
		if s.setErr {
			r.sess.lastError = number
		}
		return nil
	}
	e := &Error{Message: m, Abort: sev >= 20}
	return raise(e)
}

func orZero(v Value) Value {
	if v == nil {
		return int64(0)
	}
	return v
}

func (sc *scope) execThrow(s *throwStmt) error {
	r := sc.r
	if s.number == nil {
		if len(r.caught) == 0 {
			return raise(abortErr(10704, 15, "To rethrow an error, a THROW statement must be used inside a CATCH block."))
		}
		c := *r.caught[len(r.caught)-1]
		c.Abort = true
		return raise(&c)
	}
	nv, nt, err := sc.eval(s.number)
	if err != nil {
		return err
	}
	mv, mt, err := sc.eval(s.message)
	if err != nil {
		return err
	}
	sv, st, err := sc.eval(s.state)
	if err != nil {
		return err
	}
	n, err := intArg(orZero(nv), nt)
	if err != nil {
		return err
	}
	state, err := intArg(orZero(sv), st)
	if err != nil {
		return err
	}
	if n < 50000 || n > 2147483647 {
		return raise(abortErr(35100, 16, "Error number %d in the THROW statement is outside the valid range. Specify an error number in the valid range of 50000 to 2147483647.", n))
	}
	if state < 0 || state > 255 {
		return raise(abortErr(35101, 16, "State %d in the THROW statement is outside the valid range. Specify a state in the valid range of 0 to 255.", state))
	}
	text := ""
	if mv != nil {
		text = truncateMessage(toText(mv, mt))
	}
	e := &Error{Message: Message{Number: int32(n), State: uint8(state), Class: 16, Text: text, Line: int32(s.Line())}, Abort: true}
	return raise(e)
}

// formatMessage substitutes RAISERROR arguments: %d %i %u %s %x %X %o and %%, with flags, width and precision
// (* takes them from the arguments). A missing argument prints (null), as SQL Server does.
func formatMessage(f string, args []Value, types []sqlType) (string, *Error) {
	var b strings.Builder
	next := 0
	take := func() (Value, sqlType, bool) {
		if next >= len(args) {
			next++
			return nil, sqlType{}, false
		}
		next++
		return args[next-1], types[next-1], true
	}
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i+1 < len(f) && f[i+1] == '%' {
			b.WriteByte('%')
			i++
			continue
		}
		j := i + 1
		flags := ""
		for j < len(f) && strings.IndexByte("-+ 0#", f[j]) >= 0 {
			flags += string(f[j])
			j++
		}
		width, prec := -1, -1
		if j < len(f) && f[j] == '*' {
			v, t, _ := take()
			if n, err := intArg(orZero(v), t); err == nil && n >= 0 && n < 4000 {
				width = int(n)
			}
			j++
		} else {
			width, j = readInt(f, j)
		}
		if j < len(f) && f[j] == '.' {
			j++
			if j < len(f) && f[j] == '*' {
				v, t, _ := take()
				if n, err := intArg(orZero(v), t); err == nil && n >= 0 && n < 4000 {
					prec = int(n)
				}
				j++
			} else {
				prec, j = readInt(f, j)
				if prec < 0 {
					prec = 0
				}
			}
		}
		for j < len(f) && (f[j] == 'h' || f[j] == 'l' || f[j] == 'I' || f[j] == '6' || f[j] == '4') {
			j++
		}
		if j >= len(f) {
			b.WriteString(f[i:])
			break
		}
		verb := f[j]
		v, t, ok := take()
		var s string
		switch verb {
		case 's':
			if !ok || v == nil {
				s = "(null)"
			} else {
				if !t.isString() && t.kind != kVariant {
					return "", newErr(2786, 16, "The data type of substitution parameter %d does not match the expected type of the format specification.", next)
				}
				s = toText(v, t)
			}
			if prec >= 0 {
				s = truncRunes(s, prec)
			}
		case 'd', 'i', 'u', 'x', 'X', 'o':
			if !ok || v == nil {
				s = "(null)"
				break
			}
			n, isInt := norm(v).(int64)
			if bv, isBool := norm(v).(bool); isBool {
				n, isInt = 0, true
				if bv {
					n = 1
				}
			}
			if !isInt {
				return "", newErr(2786, 16, "The data type of substitution parameter %d does not match the expected type of the format specification.", next)
			}
			switch verb {
			case 'x':
				s = strconv.FormatUint(uint64(uint32(n)), 16)
			case 'X':
				s = strings.ToUpper(strconv.FormatUint(uint64(uint32(n)), 16))
			case 'o':
				s = strconv.FormatUint(uint64(uint32(n)), 8)
			case 'u':
				s = strconv.FormatUint(uint64(uint32(n)), 10)
			default:
				s = strconv.FormatInt(n, 10)
				if n >= 0 && strings.Contains(flags, "+") {
					s = "+" + s
				}
			}
		default:
			b.WriteString(f[i : j+1])
			i = j
			continue
		}
		if width > len(s) {
			pad := strings.Repeat(" ", width-len(s))
			switch {
			case strings.Contains(flags, "-"):
				s += pad
			case strings.Contains(flags, "0") && verb != 's':
				s = strings.Repeat("0", width-len(s)) + s
			default:
				s = pad + s
			}
		}
		b.WriteString(s)
		if b.Len() > 8000 {
			break
		}
		i = j
	}
	return b.String(), nil
}

func readInt(s string, j int) (int, int) {
	start := j
	for j < len(s) && isDigit(s[j]) && j-start < 4 {
		j++
	}
	if j == start {
		return -1, j
	}
	n, _ := strconv.Atoi(s[start:j])
	return n, j
}
