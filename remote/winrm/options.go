package winrm

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"pcfailback/config"
)

// MethodBasic is Basic authentication over HTTPS (config.MethodBasic). Windows allows it only for local accounts
// and only when the listener enables it; the training simulator accepts it.
const MethodBasic = config.MethodBasic

// Defaults.
const (
	// DefaultPort is WinRM's HTTPS port.
	DefaultPort = config.DefaultWinRMPort
	// DefaultOperationTimeout is how long the server may hold a Receive before answering "no output yet".
	DefaultOperationTimeout = config.DefaultOperationTimeout
	// cleanupTimeout bounds a Signal or Delete sent after the run's context ended.
	cleanupTimeout = 10 * time.Second
	// dialTimeout bounds connecting and the TLS handshake.
	dialTimeout = 30 * time.Second
)

// Options say how to reach one host's WinRM listener.
type Options struct {
	// Host is the host name (or IP literal, with TLSServerName) and Port the HTTPS port (0: 5986).
	Host string
	Port int
	// Auth is config.MethodNTLM, config.MethodKerberos or MethodBasic; "" means NTLM.
	Auth config.Method
	// User is DOMAIN\user (NTLM), user or user@REALM (Kerberos), or a local account name (Basic).
	User string
	// Password is kept in memory only and never printed. Kerberos with a credential cache needs none.
	Password string
	// Krb5Config is the krb5.conf (Kerberos; default /etc/krb5.conf), Krb5CCache a credential cache to use
	// instead of a password, Realm the realm when User does not name one (default: krb5.conf's default_realm).
	Krb5Config, Krb5CCache, Realm string
	// CAFile is a PEM bundle that replaces the system roots; CAPEM is the same given as bytes (it wins when both
	// are set). Certificates are always verified.
	CAFile string
	CAPEM  []byte
	// TLSServerName is the name checked in the certificate when Host is an address the certificate does not name.
	TLSServerName string
	// OperationTimeout is the WS-Management OperationTimeout (0: 20 s). The HTTP response timeout is set well
	// above it, so a Receive the server holds for the whole timeout is never abandoned with its output.
	OperationTimeout time.Duration
	// ResponseTimeout bounds the wait for the answer to any one request (0: twice the OperationTimeout plus
	// 30 s). It must exceed the OperationTimeout. An endpoint that takes requests and never answers fails the run
	// after it, with remote.ErrTimeout.
	ResponseTimeout time.Duration
	// Dial, when set, opens the TCP connections (a tunnel, a test). Proxies from the environment are never used.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// FromConfig builds Options from the configuration's [lync] section and the password read at start-up.
func FromConfig(l config.Lync, password string) Options {
	return Options{
		Host:             l.Host,
		Port:             l.Port,
		Auth:             l.Auth.Method,
		User:             l.Auth.User,
		Password:         password,
		Krb5Config:       l.Auth.Krb5Config,
		Krb5CCache:       l.Auth.Krb5CCache,
		Realm:            l.Auth.Realm,
		CAFile:           l.CAFile,
		OperationTimeout: l.OperationTimeout,
		TLSServerName:    tlsName(l),
	}
}

// tlsName is the name the listener's certificate must carry: the topology FQDN when the host is reached through
// another address, else nothing (the host name itself is checked).
func tlsName(l config.Lync) string {
	if l.FQDN != "" && !strings.EqualFold(l.FQDN, l.Host) {
		return l.FQDN
	}
	return ""
}

// withDefaults fills in the defaults and checks what New cannot do without.
func (o Options) withDefaults() (Options, error) {
	o.Host = strings.TrimSpace(o.Host)
	if o.Host == "" {
		return o, fmt.Errorf("winrm: no host")
	}
	if o.Port == 0 {
		o.Port = DefaultPort
	}
	if o.Port < 1 || o.Port > 65535 {
		return o, fmt.Errorf("winrm: port %d is not a TCP port", o.Port)
	}
	if o.Auth == "" {
		o.Auth = config.MethodNTLM
	}
	if o.OperationTimeout <= 0 {
		o.OperationTimeout = DefaultOperationTimeout
	}
	if o.OperationTimeout < 100*time.Millisecond || o.OperationTimeout > 10*time.Minute {
		return o, fmt.Errorf("winrm: OperationTimeout %v: want 100ms to 10m", o.OperationTimeout)
	}
	if o.ResponseTimeout != 0 && o.ResponseTimeout <= o.OperationTimeout {
		return o, fmt.Errorf("winrm: ResponseTimeout %v must exceed the OperationTimeout %v (the server may hold a "+
			"Receive that long)", o.ResponseTimeout, o.OperationTimeout)
	}
	switch o.Auth {
	case MethodBasic, config.MethodNTLM:
		if o.User == "" {
			return o, fmt.Errorf("winrm: %s authentication needs a user", o.Auth)
		}
	case config.MethodKerberos:
		if o.Krb5Config == "" {
			o.Krb5Config = config.DefaultKrb5Config
		}
		if o.Krb5CCache == "" && (o.User == "" || o.Password == "") {
			return o, fmt.Errorf("winrm: kerberos needs a user and password or a credential cache (a keytab cannot be used for WinRM; run kinit -kt first)")
		}
	default:
		return o, fmt.Errorf("winrm: authentication %q is not one of ntlm, kerberos, basic", o.Auth)
	}
	return o, nil
}

// endpointTimeout is the HTTP response-header timeout: well above the OperationTimeout, because a client that
// gives up on a Receive the server is still holding loses whatever output that Receive takes (drivers.md §4.4).
func (o Options) endpointTimeout() time.Duration {
	if o.ResponseTimeout > 0 {
		return o.ResponseTimeout
	}
	return 2*o.OperationTimeout + 30*time.Second
}

// url is the endpoint's address.
func (o Options) url() string {
	return "https://" + net.JoinHostPort(o.Host, strconv.Itoa(o.port())) + "/wsman"
}

func (o Options) port() int {
	if o.Port == 0 {
		return DefaultPort
	}
	return o.Port
}

// Describe says where and how the runner connects, for the log and the screen. It never shows the password.
func (o Options) Describe() string {
	var b strings.Builder
	auth := o.Auth
	if auth == "" {
		auth = config.MethodNTLM
	}
	fmt.Fprintf(&b, "WinRM %s as %s (%s", o.url(), orNone(o.User), auth)
	if auth == config.MethodKerberos {
		if o.Krb5CCache != "" {
			fmt.Fprintf(&b, ", credential cache %s", o.Krb5CCache)
		}
		if o.Realm != "" {
			fmt.Fprintf(&b, ", realm %s", o.Realm)
		}
	}
	b.WriteString(")")
	switch {
	case len(o.CAPEM) > 0:
		b.WriteString(", certificate checked against the given CA")
	case o.CAFile != "":
		fmt.Fprintf(&b, ", certificate checked against %s", o.CAFile)
	default:
		b.WriteString(", certificate checked against the system roots")
	}
	if o.TLSServerName != "" {
		fmt.Fprintf(&b, " for the name %s", o.TLSServerName)
	}
	to := o.OperationTimeout
	if to <= 0 {
		to = DefaultOperationTimeout
	}
	fmt.Fprintf(&b, ", OperationTimeout %v", to)
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "(credential cache)"
	}
	return s
}

// isoDuration writes d as an xs:duration with millisecond precision (PT20S, PT0.250S).
func isoDuration(d time.Duration) string {
	ms := d.Milliseconds()
	if ms%1000 == 0 {
		return fmt.Sprintf("PT%dS", ms/1000)
	}
	return fmt.Sprintf("PT%d.%03dS", ms/1000, ms%1000)
}
