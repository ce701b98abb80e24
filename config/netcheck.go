package config

import (
	"fmt"
	"net/netip"
	"strings"
)

// hostProblem says why s is not a host name or IP literal, or returns "" when it is one. Host names are what DNS
// and Kerberos SPNs accept: labels of letters, digits and '-', 1-63 bytes each, separated by dots, at most 253
// bytes, no label starting or ending with '-'.
func hostProblem(s string) string {
	if s == "" {
		return "must not be empty"
	}
	if addr, err := netip.ParseAddr(s); err == nil {
		// A zone (fe80::1%eth0) is an interface name; anything else in it is a typo or an injection.
		if z := addr.Zone(); z != "" && !isInterfaceName(z) {
			return fmt.Sprintf("%s has an invalid zone %s", quoteShort(s), quoteShort(z))
		}
		return ""
	}
	if strings.HasPrefix(s, "[") || strings.Count(s, ":") > 1 {
		return fmt.Sprintf("%s is not a valid IP address (write IPv6 without brackets)", quoteShort(s))
	}
	if strings.Contains(s, ":") {
		return fmt.Sprintf("%s contains ':'; give the port in the port key", quoteShort(s))
	}
	if len(s) > 253 {
		return "is longer than 253 characters"
	}
	if allDigitsAndDots(s) {
		return fmt.Sprintf("%s is not a valid IPv4 address", quoteShort(s))
	}
	for _, label := range strings.Split(s, ".") {
		if p := labelProblem(label); p != "" {
			return fmt.Sprintf("%s is not a host name: %s", quoteShort(s), p)
		}
	}
	return ""
}

// fqdnProblem is hostProblem for names that must be fully qualified (pool and server FQDNs): at least two labels
// and not an IP literal, because Lync identifies pools and servers by FQDN.
func fqdnProblem(s string) string {
	if p := hostProblem(s); p != "" {
		return p
	}
	if _, err := netip.ParseAddr(s); err == nil {
		return fmt.Sprintf("%s is an IP address; Lync needs the FQDN", quoteShort(s))
	}
	if !strings.Contains(s, ".") {
		return fmt.Sprintf("%s is not fully qualified (expected e.g. %q)", quoteShort(s), s+".contoso.local")
	}
	return ""
}

// labelProblem checks one DNS label.
func labelProblem(label string) string {
	switch {
	case label == "":
		return "empty label (two dots in a row, or a leading or trailing dot)"
	case len(label) > 63:
		return "a label is longer than 63 characters"
	case label[0] == '-' || label[len(label)-1] == '-':
		return "a label starts or ends with '-'"
	}
	for i := 0; i < len(label); i++ {
		c := label[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			if c == ' ' {
				return "contains a space"
			}
			return fmt.Sprintf("character %q is not allowed (letters, digits, '-' and '.')", rune(c))
		}
	}
	return ""
}

// allDigitsAndDots reports strings such as "10.0.0" that can only be meant as (broken) IPv4 addresses.
func allDigitsAndDots(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != '.' {
			return false
		}
	}
	return true
}

// sqlInstanceNameProblem checks a SQL Server named instance: 1-16 characters, a letter or '_' first, then letters,
// digits, '_' or '$' (the rules of SQL Server setup).
func sqlInstanceNameProblem(s string) string {
	if s == "" {
		return "must not be empty"
	}
	if len(s) > 16 {
		return fmt.Sprintf("%s is longer than 16 characters, the limit for a SQL Server instance name", quoteShort(s))
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
		if i == 0 && !letter {
			return fmt.Sprintf("%s must start with a letter or '_'", quoteShort(s))
		}
		if !letter && !(c >= '0' && c <= '9') && c != '$' {
			return fmt.Sprintf("%s is not a SQL Server instance name (letters, digits, '_' and '$')", quoteShort(s))
		}
	}
	return ""
}

// isInterfaceName reports names such as eth0, ens3.100 or wlp2s0_1.
func isInterfaceName(z string) bool {
	if z == "" || len(z) > 64 {
		return false
	}
	for i := 0; i < len(z); i++ {
		c := z[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}
