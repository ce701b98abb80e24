package wsman

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/go-ntlmssp"
)

// authenticateFor runs go-ntlmssp's side of the handshake against a challenge and returns the AUTHENTICATE
// message it sends.
func authenticateFor(t testing.TB, challenge []byte, user, password string) []byte {
	t.Helper()
	u, _, needed := ntlmssp.GetDomain(user)
	msg, err := ntlmssp.ProcessChallenge(challenge, u, password, needed)
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

func TestNTLMv2Verification(t *testing.T) {
	msg, nonce := ntlmChallenge("CONTOSO", "LYNCFE01")
	if ntlmMessageType(msg) != 2 {
		t.Fatal("not a CHALLENGE")
	}
	a, ok := parseAuthenticate(authenticateFor(t, msg, `CONTOSO\lyncadmin`, "pw"))
	if !ok || a.user != "lyncadmin" || a.domain != "CONTOSO" || !verifyNTLMv2(a, "pw", nonce) {
		t.Fatalf("%+v %v", a, ok)
	}
	if verifyNTLMv2(a, "other", nonce) {
		t.Fatal("a wrong password verified")
	}
	other := append([]byte(nil), nonce...)
	other[0] ^= 1
	if verifyNTLMv2(a, "pw", other) {
		t.Fatal("a response to another challenge verified (replay)")
	}
}

func TestNTLMChallengeIsPerConnection(t *testing.T) {
	f := start(t, echoRunner)
	// A NEGOTIATE on one connection and the AUTHENTICATE on another: refused, as HTTP.sys refuses it.
	neg, _ := base64.StdEncoding.DecodeString("TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAAAAAA")
	req := func(tr http.RoundTripper, token []byte) *http.Response {
		r, _ := http.NewRequest(http.MethodPost, f.url, strings.NewReader("x"))
		r.Header.Set("Authorization", "Negotiate "+base64.StdEncoding.EncodeToString(token))
		resp, err := tr.RoundTrip(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	tr1 := f.client.Transport.(*http.Transport)
	resp := req(tr1, neg)
	scheme, tok, _ := strings.Cut(resp.Header.Get("WWW-Authenticate"), " ")
	challenge, err := base64.StdEncoding.DecodeString(tok)
	if resp.StatusCode != http.StatusUnauthorized || scheme != "Negotiate" || err != nil {
		t.Fatalf("%d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
	tr2 := tr1.Clone()
	defer tr2.CloseIdleConnections()
	if resp := req(tr2, authenticateFor(t, challenge, testUser, testPassword)); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("AUTHENTICATE on another connection: %d", resp.StatusCode)
	}
}

func FuzzNTLMAuthenticate(f *testing.F) {
	msg, _ := ntlmChallenge("CONTOSO", "LYNCFE01")
	f.Add(authenticateFor(f, msg, `CONTOSO\lyncadmin`, "pw"))
	f.Add([]byte("NTLMSSP\x00\x03\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, ok := parseAuthenticate(b)
		if ok {
			_ = verifyNTLMv2(a, "pw", make([]byte, 8))
		}
	})
}
