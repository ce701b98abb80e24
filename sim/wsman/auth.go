package wsman

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"strings"
	"sync"
)

// connState is what the server remembers about one TCP connection: NTLM authenticates a connection, not a
// request, as HTTP.sys does for WinRM.
type connState struct {
	mu        sync.Mutex
	authed    bool
	challenge []byte
}

type connKey struct{}

// withConnState gives each accepted connection its state (http.Server.ConnContext).
func withConnState(ctx context.Context, _ net.Conn) context.Context {
	return context.WithValue(ctx, connKey{}, &connState{})
}

// splitAccount splits DOMAIN\user; a user@domain or a bare name has no NTLM domain of its own.
func splitAccount(account string) (domain, user string) {
	if i := strings.IndexByte(account, '\\'); i >= 0 {
		return account[:i], account[i+1:]
	}
	return "", account
}

// authenticate checks the request's credentials: Basic with the configured user and password, or NTLMv2
// (Negotiate or NTLM scheme) for the same account. It returns false after writing the 401 the client should see:
// with a challenge in the middle of an NTLM handshake, otherwise offering Negotiate and Basic as a WinRM listener
// with both enabled does. Kerberos tickets are refused: the simulator has no KDC.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) bool {
	cs, _ := r.Context().Value(connKey{}).(*connState)
	if cs == nil {
		cs = &connState{}
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.authed {
		return true
	}
	scheme, token, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	token = strings.TrimSpace(token)
	switch strings.ToLower(scheme) {
	case "":
		s.unauthorized(w, "")
		return false
	case "basic":
		u, p, ok := r.BasicAuth()
		if ok && s.checkBasic(u, p) {
			return true
		}
	case "negotiate", "ntlm":
		msg, err := base64.StdEncoding.DecodeString(token)
		if err != nil {
			break
		}
		switch ntlmMessageType(msg) {
		case 1:
			domain, _ := splitAccount(s.cfg.User)
			if domain == "" {
				domain = "WORKGROUP"
			}
			challenge, nonce := ntlmChallenge(domain, s.machine())
			cs.challenge = nonce
			s.unauthorized(w, scheme+" "+base64.StdEncoding.EncodeToString(challenge))
			return false
		case 3:
			nonce := cs.challenge
			cs.challenge = nil
			if a, ok := parseAuthenticate(msg); ok && nonce != nil && s.checkNTLM(a, nonce) {
				cs.authed = true
				return true
			}
		}
	}
	s.count(func(st *Stats) { st.AuthFailures++ })
	s.unauthorized(w, "")
	return false
}

// checkBasic compares Basic credentials with the configured ones in constant time.
func (s *Server) checkBasic(user, password string) bool {
	u := subtle.ConstantTimeCompare([]byte(strings.ToLower(user)), []byte(strings.ToLower(s.cfg.User)))
	p := subtle.ConstantTimeCompare([]byte(password), []byte(s.cfg.Password))
	return u&p == 1
}

// checkNTLM checks an AUTHENTICATE message against the configured account.
func (s *Server) checkNTLM(a ntlmAuthenticate, challenge []byte) bool {
	domain, user := splitAccount(s.cfg.User)
	if !strings.EqualFold(a.user, user) || (domain != "" && !strings.EqualFold(a.domain, domain)) {
		return false
	}
	return verifyNTLMv2(a, s.cfg.Password, challenge)
}

// unauthorized writes a 401 without a body, as HTTP.sys does, with the given challenge or the schemes offered.
func (s *Server) unauthorized(w http.ResponseWriter, challenge string) {
	if challenge != "" {
		w.Header().Set("WWW-Authenticate", challenge)
	} else {
		w.Header().Add("WWW-Authenticate", "Negotiate")
		w.Header().Add("WWW-Authenticate", `Basic realm="WSMAN"`)
	}
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusUnauthorized)
}
