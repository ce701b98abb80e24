package tds

import "encoding/binary"

// TDS versions a LOGIN7 can ask for, and what the server answers in LOGINACK.
const (
	verTDS72  = 0x72090002
	verTDS73A = 0x730A0003
	verTDS73B = 0x730B0003
	verTDS74  = 0x74000004
)

// LOGIN7 flag bits the server looks at.
const (
	optIntSecurity  = 0x80 // OptionFlags2: integrated (SSPI) authentication
	typeReadOnlyInt = 0x20 // TypeFlags: ApplicationIntent=ReadOnly
)

// login7Fixed is the length of LOGIN7's fixed part since TDS 7.2.
const login7Fixed = 94

// login7 is what a client's LOGIN7 said (MS-TDS 2.2.6.4).
type login7 struct {
	tdsVersion      uint32
	packetSize      uint32
	clientPID       uint32
	readOnlyIntent  bool
	sspi            bool
	hostName        string
	userName        string
	password        string
	appName         string
	serverName      string
	clientInterface string
	language        string
	database        string
}

// parseLogin7 reads a LOGIN7 message. Every (offset, length) pair must point inside the message.
func parseLogin7(b []byte) (login7, error) {
	var l login7
	if len(b) < login7Fixed {
		return l, protocolErrorf("LOGIN7 of %d bytes is shorter than its fixed part", len(b))
	}
	le16 := func(at int) int { return int(binary.LittleEndian.Uint16(b[at:])) }
	l.tdsVersion = binary.LittleEndian.Uint32(b[4:])
	l.packetSize = binary.LittleEndian.Uint32(b[8:])
	l.clientPID = binary.LittleEndian.Uint32(b[16:])
	l.readOnlyIntent = b[26]&typeReadOnlyInt != 0
	sspiLen := le16(80)
	if sspiLen == 0xFFFF {
		sspiLen = int(binary.LittleEndian.Uint32(b[90:]))
	}
	l.sspi = b[25]&optIntSecurity != 0 || sspiLen > 0
	var err error
	field := func(at int, password bool) string {
		off, n := le16(at), 2*le16(at+2)
		if err != nil || n == 0 {
			return ""
		}
		if off+n > len(b) {
			err = protocolErrorf("LOGIN7 field at %d points outside the message", at)
			return ""
		}
		raw := b[off : off+n]
		if password {
			raw = demangle(raw)
		}
		return ucs2(raw)
	}
	l.hostName = field(36, false)
	l.userName = field(40, false)
	l.password = field(44, true)
	l.appName = field(48, false)
	l.serverName = field(52, false)
	l.clientInterface = field(60, false)
	l.language = field(64, false)
	l.database = field(68, false)
	return l, err
}

// demangle undoes LOGIN7's password obfuscation: each byte was nibble-swapped, then XORed with 0xA5.
func demangle(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		c ^= 0xA5
		out[i] = c<<4 | c>>4
	}
	return out
}

// replyVersion is the TDS version LOGINACK answers for the version a client asked for; ok is false for versions
// older than 7.2, which the server does not speak (PLP types such as nvarchar(max) arrived in 7.2).
func replyVersion(asked uint32) (uint32, bool) {
	switch {
	case asked >= 0x74000000:
		return verTDS74, true
	case asked >= 0x730B0000:
		return verTDS73B, true
	case asked >= 0x730A0000:
		return verTDS73A, true
	case asked >= 0x72090000:
		return verTDS72, true
	}
	return 0, false
}
