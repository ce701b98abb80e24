package mssql

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	mssqldb "github.com/microsoft/go-mssqldb"

	"pcfailback/remote"
)

func TestRedact(t *testing.T) {
	for _, form := range secretForms(secret) {
		err := redact(fmt.Errorf("dial sqlserver://dba:%s@host: %w", form, context.Canceled), secret)
		if strings.Contains(err.Error(), form) || !strings.Contains(err.Error(), "********") {
			t.Errorf("form %q survives: %q", form, err)
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("redacted error lost what it wraps: %v", err)
		}
	}
	if !strings.Contains(url.UserPassword("dba", secret).String(), secretForms(secret)[3]) {
		t.Error("the user-info form is not how a URL spells the password")
	}
	plain := errors.New("nothing secret")
	if redact(plain, secret) != plain {
		t.Error("an error without the password was rewrapped")
	}
}

// A refused login reads as the server wrote it, without the driver's "login error: " prefix.
func TestAsSQLErrorUsesTheFirstServerMessage(t *testing.T) {
	first := mssqldb.Error{Number: 18456, Class: 14, State: 1, Message: "Login failed for user 'dba'.", ServerName: "S"}
	last := first
	last.Message = "login error: " + last.Message
	last.All = []mssqldb.Error{first}
	e, ok := asSQLError(fmt.Errorf("connect: %w", last))
	if !ok || e.Number != 18456 || e.Class != 14 || e.Text != "Login failed for user 'dba'." || e.Server != "S" {
		t.Fatalf("%v %+v", ok, e)
	}
	if _, ok := asSQLError(errors.New("dial tcp: refused")); ok {
		t.Fatal("a network error taken for a SQL error")
	}
}

// A server error that quotes the password stays a *remote.SQLError, without the password.
func TestRedactKeepsSQLErrors(t *testing.T) {
	e := &remote.SQLError{Number: 102, Class: 15, Text: "Incorrect syntax near '" + secret + "'."}
	err := redact(e, secret)
	var got *remote.SQLError
	if !errors.As(err, &got) || got.Number != 102 || strings.Contains(got.Text, secret) || got == e {
		t.Fatalf("%T %v", err, err)
	}
	if !strings.Contains(e.Text, secret) {
		t.Fatal("the original was modified")
	}
}
