package journal

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"Contoso (training simulator)": "contoso-training-simulator",
		"Contoso production":           "contoso-production",
		"../../etc/passwd":             "etc-passwd",
		"..":                           "environment",
		"":                             "environment",
		"  Zürich PROD_2.eu  ":         "z-rich-prod_2.eu",
		".hidden":                      "hidden",
		"a\x00b\nc":                    "a-b-c",
	} {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
	long1, long2 := strings.Repeat("x", 300)+"1", strings.Repeat("x", 300)+"2"
	if a, b := SafeName(long1), SafeName(long2); len(a) > maxSafeName || a == b {
		t.Errorf("long names: %q, %q", a, b)
	}
}

func TestPathFor(t *testing.T) {
	got := PathFor("/state", "Contoso (training simulator)")
	if want := filepath.Join("/state", "pcfailback", "journal", "contoso-training-simulator.jsonl"); got != want {
		t.Errorf("PathFor = %s, want %s", got, want)
	}
	if HeadPath(got) != got+".head" {
		t.Errorf("HeadPath = %s", HeadPath(got))
	}
	if TrainingEnvironment("") != "Contoso (training simulator)" || TrainingEnvironment("Fabrikam") != "Fabrikam (training simulator)" {
		t.Error("training environment names")
	}
}

func TestSSHClient(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"SSH_CLIENT": "10.1.2.3 51234 22"}, "10.1.2.3"},
		{map[string]string{"SSH_CONNECTION": "fe80::1 51234 fe80::2 22"}, "fe80::1"},
		{map[string]string{"SSH_CLIENT": "  ", "SSH_CONNECTION": "192.0.2.7 1 192.0.2.8 22"}, "192.0.2.7"},
		{map[string]string{}, ""},
	} {
		if got := sshClient(env(tc.env)); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.env, got, tc.want)
		}
	}
	if s := NewStart(); s.Kind != KindStart || s.User == "" || s.PID == 0 {
		t.Errorf("NewStart: %+v", s)
	}
}
