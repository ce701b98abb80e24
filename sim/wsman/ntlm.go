package wsman

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"encoding/binary"
	"strings"
	"time"
	"unicode/utf16"

	"golang.org/x/crypto/md4" //nolint:staticcheck // NTLM is defined on MD4; nothing else here uses it
)

// NTLM server side, enough to check an NTLMv2 login the way a Windows host does (MS-NLMP 3.2.5 and 3.3.2):
// answer a NEGOTIATE with a CHALLENGE, then verify the AUTHENTICATE's NTProofStr against the configured password.
// Sessions, signing and sealing are out of scope: WinRM over HTTPS uses none of them.

const ntlmSignature = "NTLMSSP\x00"

// NTLM negotiate flags the challenge offers (MS-NLMP 2.2.2.5). LM_KEY and KEY_EXCH are left out: clients that
// only speak NTLMv2 refuse them.
const (
	flagUnicode        = 0x00000001
	flagRequestTarget  = 0x00000004
	flagNTLM           = 0x00000200
	flagAlwaysSign     = 0x00008000
	flagTargetDomain   = 0x00010000
	flagExtendedSecure = 0x00080000
	flagTargetInfo     = 0x00800000
	flag128            = 0x20000000
	flag56             = 0x80000000
)

// ntlmMessageType returns the type of an NTLM message (1, 2 or 3), 0 if b is not one.
func ntlmMessageType(b []byte) uint32 {
	if len(b) < 12 || string(b[:8]) != ntlmSignature {
		return 0
	}
	return binary.LittleEndian.Uint32(b[8:12])
}

// ntlmChallenge builds a CHALLENGE message for domain (the target name) and computer, with a fresh server
// challenge, which it also returns.
func ntlmChallenge(domain, computer string) (msg, challenge []byte) {
	challenge = make([]byte, 8)
	_, _ = rand.Read(challenge)
	target := utf16le(domain)
	var info bytes.Buffer
	av := func(id uint16, v []byte) {
		_ = binary.Write(&info, binary.LittleEndian, id)
		_ = binary.Write(&info, binary.LittleEndian, uint16(len(v)))
		info.Write(v)
	}
	av(2, target)                           // MsvAvNbDomainName
	av(1, utf16le(computer))                // MsvAvNbComputerName
	av(4, utf16le(strings.ToLower(domain))) // MsvAvDnsDomainName
	av(3, utf16le(strings.ToLower(computer)))
	ts := make([]byte, 8)
	binary.LittleEndian.PutUint64(ts, uint64(time.Now().UnixNano()/100)+116444736000000000)
	av(7, ts) // MsvAvTimestamp
	av(0, nil)

	const header = 48
	var m bytes.Buffer
	m.WriteString(ntlmSignature)
	_ = binary.Write(&m, binary.LittleEndian, uint32(2))
	writeField(&m, len(target), header)
	flags := uint32(flagUnicode | flagRequestTarget | flagNTLM | flagAlwaysSign | flagTargetDomain |
		flagExtendedSecure | flagTargetInfo | flag128 | flag56)
	_ = binary.Write(&m, binary.LittleEndian, flags)
	m.Write(challenge)
	m.Write(make([]byte, 8))
	writeField(&m, info.Len(), header+len(target))
	m.Write(target)
	m.Write(info.Bytes())
	return m.Bytes(), challenge
}

// writeField writes an NTLM variable-field descriptor: length, maximum length, offset.
func writeField(m *bytes.Buffer, n, offset int) {
	_ = binary.Write(m, binary.LittleEndian, uint16(n))
	_ = binary.Write(m, binary.LittleEndian, uint16(n))
	_ = binary.Write(m, binary.LittleEndian, uint32(offset))
}

// ntlmAuthenticate is what the server reads from an AUTHENTICATE message.
type ntlmAuthenticate struct {
	domain, user string
	ntResponse   []byte
}

// parseAuthenticate reads an AUTHENTICATE message; ok is false for anything malformed.
func parseAuthenticate(b []byte) (a ntlmAuthenticate, ok bool) {
	if ntlmMessageType(b) != 3 || len(b) < 64 {
		return a, false
	}
	field := func(at int) ([]byte, bool) {
		n := int(binary.LittleEndian.Uint16(b[at:]))
		off := int(binary.LittleEndian.Uint32(b[at+4:]))
		if off < 0 || off > len(b) || n > len(b)-off {
			return nil, false
		}
		return b[off : off+n], true
	}
	nt, ok1 := field(20)
	dom, ok2 := field(28)
	user, ok3 := field(36)
	if !ok1 || !ok2 || !ok3 || len(dom)%2 != 0 || len(user)%2 != 0 {
		return a, false
	}
	return ntlmAuthenticate{domain: fromUTF16LE(dom), user: fromUTF16LE(user), ntResponse: nt}, true
}

// verifyNTLMv2 checks an NTLMv2 response (MS-NLMP 3.3.2): NTProofStr = HMAC-MD5(ResponseKeyNT, ServerChallenge
// || temp), where ResponseKeyNT = HMAC-MD5(MD4(UTF-16LE(password)), UTF-16LE(upper(user) || domain)).
func verifyNTLMv2(a ntlmAuthenticate, password string, challenge []byte) bool {
	if len(a.ntResponse) < 16+28 || len(challenge) != 8 {
		return false // shorter responses are NTLMv1, which a Windows host of this era refuses by policy
	}
	h := md4.New()
	h.Write(utf16le(password))
	key := hmacMD5(h.Sum(nil), utf16le(strings.ToUpper(a.user)+a.domain))
	proof := hmacMD5(key, challenge, a.ntResponse[16:])
	return hmac.Equal(proof, a.ntResponse[:16])
}

func hmacMD5(key []byte, data ...[]byte) []byte {
	m := hmac.New(md5.New, key)
	for _, d := range data {
		m.Write(d)
	}
	return m.Sum(nil)
}

func utf16le(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, v := range u {
		binary.LittleEndian.PutUint16(b[2*i:], v)
	}
	return b
}

func fromUTF16LE(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}
