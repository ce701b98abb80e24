package tds

import (
	"fmt"
	"strings"

	"pcfailback/tsql"
)

// maxParams is SQL Server's limit of parameters in one request.
const maxParams = 2100

// procNames are the procedures an RPC can name by id instead of by name (MS-TDS 2.2.6.6).
var procNames = map[uint16]string{
	1: "sp_cursor", 2: "sp_cursoropen", 3: "sp_cursorprepare", 4: "sp_cursorexecute", 5: "sp_cursorprepexec",
	6: "sp_cursorunprepare", 7: "sp_cursorfetch", 8: "sp_cursoroption", 9: "sp_cursorclose", 10: "sp_executesql",
	11: "sp_prepare", 12: "sp_execute", 13: "sp_prepexec", 14: "sp_prepexecrpc", 15: "sp_unprepare",
}

// rpcCall is one remote procedure call.
type rpcCall struct {
	proc tsql.ObjectName
	args []tsql.Arg
}

// parseRPC reads an RPC request: ALL_HEADERS, the procedure (by id or name), option flags, then the
// parameters, each a name, status flags, TYPE_INFO and a value. Only one call per request is accepted.
func parseRPC(b []byte) (rpcCall, error) {
	var c rpcCall
	r := &reader{b: b}
	if err := skipAllHeaders(r); err != nil {
		return c, err
	}
	n := r.u16()
	if n == 0xFFFF {
		id := r.u16()
		name, ok := procNames[id]
		if !ok {
			return c, &streamError{number: 8009, text: fmt.Sprintf("The incoming tabular data stream (TDS) remote procedure call (RPC) protocol stream is incorrect. Procedure id %d is unknown.", id)}
		}
		c.proc = tsql.ObjectName{Object: name}
	} else {
		raw := ucs2(r.take(2 * int(n)))
		name, ok := parseProcName(raw)
		if !ok {
			return c, errStream(fmt.Sprintf("The procedure name %q is not valid.", raw))
		}
		c.proc = name
	}
	r.u16() // option flags: WITH RECOMPILE and friends change nothing here
	if r.err != nil {
		return c, errStream("The request ended before its parameters.")
	}
	for r.left() > 0 {
		if len(c.args) == maxParams {
			return c, &streamError{number: 8003, text: "The incoming request has too many parameters. The server supports a maximum of 2100 parameters. Reduce the number of parameters and resend the request."}
		}
		switch r.b[r.off] {
		case 0x80, 0xFE, 0xFF:
			return c, &streamError{number: 8009, text: "The incoming tabular data stream (TDS) remote procedure call (RPC) protocol stream is incorrect. Only one call per request is supported."}
		}
		name := r.bVarChar()
		status := r.u8()
		if r.err != nil {
			return c, errStream("A parameter is cut short.")
		}
		v, err := readParam(r, len(c.args)+1, name)
		if err != nil {
			return c, err
		}
		c.args = append(c.args, tsql.Arg{Name: name, Value: v, Output: status&0x01 != 0, Default: status&0x02 != 0})
	}
	return c, nil
}

// parseProcName splits a possibly qualified procedure name ("sp_who2", "dbo.usp_x", "[db].[dbo].[x]") into its
// parts, honouring [brackets] with ]] inside and "double quotes".
func parseProcName(s string) (tsql.ObjectName, bool) {
	var parts []string
	var cur strings.Builder
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '[' && cur.Len() == 0 && !quoted:
			end := -1
			var b strings.Builder
			for j := i + 1; j < len(s); j++ {
				if s[j] == ']' {
					if j+1 < len(s) && s[j+1] == ']' {
						b.WriteByte(']')
						j++
						continue
					}
					end = j
					break
				}
				b.WriteByte(s[j])
			}
			if end < 0 {
				return tsql.ObjectName{}, false
			}
			cur.WriteString(b.String())
			quoted, i = true, end
		case c == '"' && cur.Len() == 0 && !quoted:
			end := strings.IndexByte(s[i+1:], '"')
			if end < 0 {
				return tsql.ObjectName{}, false
			}
			cur.WriteString(s[i+1 : i+1+end])
			quoted, i = true, i+1+end
		case c == '.':
			parts = append(parts, cur.String())
			cur.Reset()
			quoted = false
		case quoted:
			return tsql.ObjectName{}, false
		default:
			cur.WriteByte(c)
		}
	}
	parts = append(parts, strings.TrimSpace(cur.String()))
	if len(parts) > 4 || parts[len(parts)-1] == "" {
		return tsql.ObjectName{}, false
	}
	for len(parts) < 4 {
		parts = append([]string{""}, parts...)
	}
	return tsql.ObjectName{Server: parts[0], Database: parts[1], Schema: parts[2], Object: parts[3]}, true
}
