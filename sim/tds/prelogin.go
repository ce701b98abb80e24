package tds

import (
	"encoding/binary"
	"strconv"
	"strings"
)

// PRELOGIN option tokens (MS-TDS 2.2.6.5).
const (
	plVersion    = 0
	plEncryption = 1
	plInstOpt    = 2
	plThreadID   = 3
	plMARS       = 4
	plTerminator = 0xFF
)

// Encryption values of the PRELOGIN ENCRYPTION option.
const (
	encryptOff    = 0 // available but off: only the LOGIN7 packet is encrypted
	encryptOn     = 1
	encryptNotSup = 2
	encryptReq    = 3
)

// encMode is what TLS a connection ends up with.
type encMode int

const (
	encNone  encMode = iota // no TLS at all
	encLogin                // TLS for the LOGIN7 packet only (both sides said ENCRYPT_OFF)
	encFull                 // TLS for everything after PRELOGIN
)

// String names the mode for ConnEvent.
func (m encMode) String() string {
	switch m {
	case encLogin:
		return "login"
	case encFull:
		return "full"
	}
	return "none"
}

// prelogin is what a client's PRELOGIN said.
type prelogin struct {
	encryption    byte
	hasEncryption bool
	instance      string
	mars          bool
}

// maxPreloginOptions bounds the option table; real clients send at most eight options.
const maxPreloginOptions = 64

// parsePrelogin reads a PRELOGIN message's option table. Every option's data must lie inside the message.
func parsePrelogin(b []byte) (prelogin, error) {
	var p prelogin
	for i := 0; ; i += 5 {
		if i >= len(b) {
			return p, protocolErrorf("PRELOGIN option table has no terminator")
		}
		tok := b[i]
		if tok == plTerminator {
			return p, nil
		}
		if i/5 >= maxPreloginOptions {
			return p, protocolErrorf("PRELOGIN has more than %d options", maxPreloginOptions)
		}
		if i+5 > len(b) {
			return p, protocolErrorf("PRELOGIN option %d is cut short", tok)
		}
		off, n := int(binary.BigEndian.Uint16(b[i+1:])), int(binary.BigEndian.Uint16(b[i+3:]))
		if off+n > len(b) {
			return p, protocolErrorf("PRELOGIN option %d points outside the message", tok)
		}
		data := b[off : off+n]
		switch tok {
		case plEncryption:
			if n < 1 {
				return p, protocolErrorf("PRELOGIN ENCRYPTION is empty")
			}
			p.encryption, p.hasEncryption = data[0], true
		case plInstOpt:
			if z := strings.IndexByte(string(data), 0); z >= 0 {
				data = data[:z]
			}
			p.instance = string(data)
		case plMARS:
			p.mars = n > 0 && data[0] != 0
		}
	}
}

// negotiate answers the client's ENCRYPTION option the way SQL Server does: a server with a certificate
// encrypts everything when asked, only the login when both sides say OFF, and nothing when the client cannot;
// a server without one says NOT_SUP (a client that requires encryption then gives up).
func negotiate(p prelogin, haveTLS bool) (byte, encMode) {
	if !haveTLS {
		return encryptNotSup, encNone
	}
	switch {
	case !p.hasEncryption:
		// A client that does not mention encryption will not start a TLS handshake.
		return encryptNotSup, encNone
	case p.encryption == encryptNotSup:
		return encryptNotSup, encNone
	case p.encryption == encryptOff:
		return encryptOff, encLogin
	}
	return encryptOn, encFull
}

// versionParts parses "11.0.7001.0" into major, minor and build.
func versionParts(v string) (major, minor, build int) {
	parts := strings.Split(v, ".")
	get := func(i int) int {
		if i >= len(parts) {
			return 0
		}
		n, err := strconv.Atoi(parts[i])
		if err != nil || n < 0 {
			return 0
		}
		return n
	}
	return get(0) & 0xFF, get(1) & 0xFF, get(2) & 0xFFFF
}

// preloginReply builds the server's PRELOGIN response: VERSION, ENCRYPTION, INSTOPT, THREADID, MARS.
func preloginReply(version string, encryption byte, p prelogin) []byte {
	major, minor, build := versionParts(version)
	inst := byte(0)
	if p.instance != "" && !strings.EqualFold(p.instance, "MSSQLSERVER") {
		// A default instance answers "no match" to a named instance the client asked for.
		inst = 1
	}
	opts := []struct {
		tok  byte
		data []byte
	}{
		{plVersion, []byte{byte(major), byte(minor), byte(build >> 8), byte(build), 0, 0}},
		{plEncryption, []byte{encryption}},
		{plInstOpt, []byte{inst}},
		{plThreadID, nil},
		{plMARS, []byte{0}},
	}
	off := 5*len(opts) + 1
	var table, data []byte
	for _, o := range opts {
		table = append(table, o.tok)
		table = binary.BigEndian.AppendUint16(table, uint16(off+len(data)))
		table = binary.BigEndian.AppendUint16(table, uint16(len(o.data)))
		data = append(data, o.data...)
	}
	table = append(table, plTerminator)
	return append(table, data...)
}
