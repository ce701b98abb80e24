package wsman

import (
	"context"
	"net/http"
	"strings"
	"testing"

	mw "github.com/masterzen/winrm"

	"pcfailback/remote"
)

// An account the endpoint refuses: every request, once authenticated, gets WinRM's "Access is denied." fault
// (HTTP 500, WSManFault code 5); no shell is created and nothing runs. Credentials are still checked first.
func TestAccessDenied(t *testing.T) {
	ran := false
	f := startWith(t, funcRunner(func(context.Context, string, func(remote.PSLine)) (int, error) {
		ran = true
		return 0, nil
	}), func(c *Config) { c.AccessDenied = true })
	code, body := f.post(t, mw.NewOpenShellRequest(f.url, f.params))
	for _, want := range []string{"<s:Value>s:Sender</s:Value>", "<s:Value>w:AccessDenied</s:Value>",
		`Code="5" Machine="LYNCFE01"`, "<f:Message>Access is denied. </f:Message>"} {
		if !strings.Contains(body, want) {
			t.Errorf("fault lacks %q: %s", want, body)
		}
	}
	if code != http.StatusInternalServerError {
		t.Errorf("status %d", code)
	}
	if code, _ := f.postRaw(t, mw.NewOpenShellRequest(f.url, f.params).String(), testUser, "wrong"); code != http.StatusUnauthorized {
		t.Errorf("wrong password: %d", code)
	}
	if st := f.srv.Stats(); st.Denied != 1 || st.Shells != 0 || st.AuthFailures != 1 || ran {
		t.Errorf("stats %+v, ran %t", st, ran)
	}
}

// A stalled endpoint holds requests without answering; Close ends them (and the test's goroutine check proves
// nothing is left behind).
func TestStallHoldsRequestsUntilClose(t *testing.T) {
	f := startWith(t, echoRunner, func(c *Config) { c.Stall = true })
	ended := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, f.url, strings.NewReader(mw.NewOpenShellRequest(f.url, f.params).String()))
		req.SetBasicAuth(testUser, testPassword)
		resp, err := f.client.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		ended <- err
	}()
	for f.srv.Stats().Stalled == 0 {
		select {
		case err := <-ended:
			t.Fatalf("the request was answered: %v", err)
		default:
		}
		waitBriefly()
	}
	if err := f.srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-ended; err == nil {
		t.Error("the stalled request got an answer")
	}
	if st := f.srv.Stats(); st.Shells != 0 {
		t.Errorf("stats %+v", st)
	}
}
