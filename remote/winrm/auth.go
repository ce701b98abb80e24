package winrm

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/Azure/go-ntlmssp"
	"github.com/jcmturner/gokrb5/v8/client"
	krbconfig "github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/credentials"
	"github.com/jcmturner/gokrb5/v8/spnego"

	"pcfailback/config"
)

// ErrAuth is wrapped by the error of a run the server refused to authenticate (HTTP 401).
var ErrAuth = errors.New("authentication failed")

// errNoNTLM is the error when a server asked an NTLM client for Basic authentication.
var errNoNTLM = errors.New("the server does not offer NTLM or Negotiate authentication (it asked for Basic); " +
	"the password is not sent with Basic when NTLM is configured")

// authLayer returns what wraps a checked-out HTTPS transport with the authentication of o.Auth. Basic needs
// nothing here (each request carries the credentials); NTLM turns them into an NTLMv2 handshake on the
// connection; Kerberos adds a SPNEGO token made from a ticket for HTTP/<host>, with one Kerberos client for the
// runner's life.
func authLayer(o Options) (func(http.RoundTripper) http.RoundTripper, error) {
	switch o.Auth {
	case config.MethodNTLM:
		return func(rt http.RoundTripper) http.RoundTripper {
			return ntlmssp.Negotiator{RoundTripper: noBasic{rt}}
		}, nil
	case config.MethodKerberos:
		cl, err := kerberosClient(o)
		if err != nil {
			return nil, err
		}
		name := o.TLSServerName
		if name == "" {
			name = o.Host
		}
		return func(rt http.RoundTripper) http.RoundTripper {
			return &spnegoTransport{base: rt, client: cl, spn: "HTTP/" + name}
		}, nil
	}
	return func(rt http.RoundTripper) http.RoundTripper { return rt }, nil
}

// sendsBasicCredentials reports whether requests carry the user and password in a Basic header (which the NTLM
// negotiator turns into a handshake).
func sendsBasicCredentials(m config.Method) bool {
	return m == MethodBasic || m == config.MethodNTLM
}

// noBasic sits under the NTLM negotiator: the negotiator falls back to Basic when the server offers nothing
// else, which would send an NTLM user's domain password in a Basic header. It refuses instead.
type noBasic struct{ next http.RoundTripper }

// RoundTrip implements http.RoundTripper.
func (n noBasic) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasPrefix(r.Header.Get("Authorization"), "Basic ") {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return nil, errNoNTLM
	}
	return n.next.RoundTrip(r)
}

// spnegoTransport adds a Kerberos SPNEGO token to every request. The gokrb5 client is built once per runner and
// caches its tickets, so a Receive poll does not cost a KDC round trip (masterzen's ClientKerberos logs in anew
// for every request).
type spnegoTransport struct {
	base   http.RoundTripper
	client *client.Client
	spn    string
}

// RoundTrip implements http.RoundTripper.
func (t *spnegoTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r2 := r.Clone(r.Context())
	if err := spnego.SetSPNEGOHeader(t.client, r2, t.spn); err != nil {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return nil, fmt.Errorf("kerberos ticket for %s: %w", t.spn, err)
	}
	return t.base.RoundTrip(r2)
}

// kerberosClient builds the Kerberos client from krb5.conf and a credential cache or a password.
func kerberosClient(o Options) (*client.Client, error) {
	cfg, err := krbconfig.Load(o.Krb5Config)
	if err != nil {
		return nil, fmt.Errorf("winrm: kerberos configuration %s: %w", o.Krb5Config, err)
	}
	if o.Krb5CCache != "" {
		cc, err := credentials.LoadCCache(o.Krb5CCache)
		if err != nil {
			return nil, fmt.Errorf("winrm: kerberos credential cache %s: %w", o.Krb5CCache, err)
		}
		cl, err := client.NewFromCCache(cc, cfg, client.DisablePAFXFAST(true))
		if err != nil {
			return nil, fmt.Errorf("winrm: kerberos credential cache %s: %w", o.Krb5CCache, err)
		}
		return cl, nil
	}
	user, realm := kerberosPrincipal(o.User, o.Realm, cfg.LibDefaults.DefaultRealm)
	if realm == "" {
		return nil, fmt.Errorf("winrm: kerberos user %q names no realm and %s has no default_realm", o.User, o.Krb5Config)
	}
	return client.NewWithPassword(user, realm, o.Password, cfg,
		client.DisablePAFXFAST(true), client.AssumePreAuthentication(true)), nil
}

// kerberosPrincipal splits user@REALM; otherwise (a bare user, or DOMAIN\user, whose NetBIOS domain is not a
// realm) the realm comes from the options, then from krb5.conf's default_realm.
func kerberosPrincipal(account, realm, defaultRealm string) (user, r string) {
	user = account
	if i := strings.LastIndexByte(user, '\\'); i >= 0 {
		user = user[i+1:]
	}
	if i := strings.LastIndexByte(user, '@'); i >= 0 {
		user, r = user[:i], strings.ToUpper(user[i+1:])
	}
	switch {
	case r != "":
	case realm != "":
		r = strings.ToUpper(realm)
	default:
		r = defaultRealm
	}
	return user, r
}
