package tds

import (
	"encoding/binary"

	"pcfailback/tsql"
)

// Token types the server sends (MS-TDS 2.2.7).
const (
	tokReturnStatus = 0x79
	tokColMetadata  = 0x81
	tokError        = 0xAA
	tokInfo         = 0xAB
	tokLoginAck     = 0xAD
	tokRow          = 0xD1
	tokEnvChange    = 0xE3
	tokDone         = 0xFD
	tokDoneProc     = 0xFE
	tokDoneInProc   = 0xFF
)

// DONE status bits.
const (
	doneFinal = 0x00
	doneMore  = 0x01
	doneError = 0x02
	doneCount = 0x10
	doneAttn  = 0x20
	// doneSrvError marks a severe error: the client treats the connection as broken.
	doneSrvError = 0x100
)

// cmdSelect is DONE's CurCmd for a SELECT; clients count rows of a SELECT only when a result set came with it.
const cmdSelect = 0xC1

// ENVCHANGE types.
const (
	envDatabase   = 1
	envLanguage   = 2
	envPacketSize = 4
	envCollation  = 7
)

// collation is SQL_Latin1_General_CP1_CI_AS, the server collation of a default SQL Server 2012 install: LCID
// 0x0409, case- and accent-insensitive flags, sort id 52 (code page 1252).
var collation = [5]byte{0x09, 0x04, 0xD0, 0x00, 0x34}

// maxMessageText keeps an INFO or ERROR token under its 16-bit length.
const maxMessageText = 30000

// appendDone appends a DONE, DONEPROC or DONEINPROC token.
func appendDone(b []byte, tok byte, status, cmd uint16, count uint64) []byte {
	b = append(b, tok)
	b = binary.LittleEndian.AppendUint16(b, status)
	b = binary.LittleEndian.AppendUint16(b, cmd)
	return binary.LittleEndian.AppendUint64(b, count)
}

// appendMessage appends an INFO or ERROR token.
func appendMessage(b []byte, tok byte, m tsql.Message, server string) []byte {
	text := truncUCS2(m.Text, maxMessageText)
	server, proc := truncUCS2(server, 255), truncUCS2(m.Proc, 255)
	n := 4 + 1 + 1 + 2 + 2*ucs2Len(text) + 1 + 2*ucs2Len(server) + 1 + 2*ucs2Len(proc) + 4
	b = append(b, tok)
	b = binary.LittleEndian.AppendUint16(b, uint16(n))
	b = binary.LittleEndian.AppendUint32(b, uint32(m.Number))
	b = append(b, m.State, m.Class)
	b = appendUSVarChar(b, text)
	b = appendBVarChar(b, server)
	b = appendBVarChar(b, proc)
	return binary.LittleEndian.AppendUint32(b, uint32(m.Line))
}

// appendEnvChange appends an ENVCHANGE of a B_VARCHAR value.
func appendEnvChange(b []byte, typ byte, newValue, oldValue string) []byte {
	newValue, oldValue = truncUCS2(newValue, 255), truncUCS2(oldValue, 255)
	n := 1 + 1 + 2*ucs2Len(newValue) + 1 + 2*ucs2Len(oldValue)
	b = append(b, tokEnvChange)
	b = binary.LittleEndian.AppendUint16(b, uint16(n))
	b = append(b, typ)
	b = appendBVarChar(b, newValue)
	return appendBVarChar(b, oldValue)
}

// appendCollationChange appends the ENVCHANGE that announces the server collation.
func appendCollationChange(b []byte) []byte {
	b = append(b, tokEnvChange)
	b = binary.LittleEndian.AppendUint16(b, uint16(1+1+len(collation)+1))
	b = append(b, envCollation, byte(len(collation)))
	b = append(b, collation[:]...)
	return append(b, 0)
}

// appendLoginAck appends LOGINACK: the TDS version agreed and the server's product name and version.
func appendLoginAck(b []byte, tdsVersion uint32, version string) []byte {
	const prog = "Microsoft SQL Server"
	major, minor, build := versionParts(version)
	n := 1 + 4 + 1 + 2*len(prog) + 4
	b = append(b, tokLoginAck)
	b = binary.LittleEndian.AppendUint16(b, uint16(n))
	b = append(b, 1) // interface: T-SQL
	b = binary.BigEndian.AppendUint32(b, tdsVersion)
	b = appendBVarChar(b, prog)
	return append(b, byte(major), byte(minor), byte(build>>8), byte(build))
}

// appendReturnStatus appends the RETURNSTATUS token of an RPC.
func appendReturnStatus(b []byte, status int32) []byte {
	b = append(b, tokReturnStatus)
	return binary.LittleEndian.AppendUint32(b, uint32(status))
}
