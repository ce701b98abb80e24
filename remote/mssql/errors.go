package mssql

import (
	"errors"
	"net/url"
	"strings"

	mssqldb "github.com/microsoft/go-mssqldb"

	"pcfailback/remote"
)

// Errors a session returns without asking the server.
var (
	// ErrClosed is returned by Run after Close, and by Connect after Conn.Close.
	ErrClosed = errors.New("the SQL session is closed")
	// ErrBroken is returned (wrapped, with the reason) by Run on a session whose connection was lost or whose
	// cancellation the server never confirmed; Connect opens a new one.
	ErrBroken = errors.New("the SQL connection is no longer usable; open a new session")
)

// sqlError converts a driver error value field by field; its Error() text would be "mssql: ... (n)".
func sqlError(e mssqldb.Error) *remote.SQLError {
	return &remote.SQLError{Number: e.Number, Class: e.Class, State: e.State, Line: e.LineNo, Server: e.ServerName,
		Text: e.Message}
}

// asSQLError finds a server error in err. For a refused login the driver reports the last error with "login error: "
// prepended; the first one, as the server sent it, is what the operator needs (18456 "Login failed for user ...").
func asSQLError(err error) (*remote.SQLError, bool) {
	var e mssqldb.Error
	if !errors.As(err, &e) {
		var p *mssqldb.Error
		if !errors.As(err, &p) || p == nil {
			return nil, false
		}
		e = *p
	}
	if len(e.All) > 0 {
		e = e.All[0]
	}
	e.Message = strings.TrimPrefix(e.Message, "login error: ")
	return sqlError(e), true
}

// redacted is an error whose text had the password cut out. errors.Is still sees the original (so a cancellation
// stays recognisable), but its text is never exposed.
type redacted struct {
	text string
	err  error
}

// Error implements error.
func (r *redacted) Error() string { return r.text }

// Is lets errors.Is match what the original error matches.
func (r *redacted) Is(target error) bool { return errors.Is(r.err, target) }

// redact returns err with every spelling of password (plain and URL-escaped) replaced, or err itself when its text
// holds none. Driver and network errors should never contain it; this makes sure.
func redact(err error, password string) error {
	if err == nil || password == "" {
		return err
	}
	if e, ok := err.(*remote.SQLError); ok {
		// A server error stays a *remote.SQLError (callers tell "the server refused" from "unreachable" by it).
		text, found := redactText(e.Text, password)
		if !found {
			return e
		}
		c := *e
		c.Text = text
		return &c
	}
	text, found := redactText(err.Error(), password)
	if !found {
		return err
	}
	return &redacted{text: text, err: err}
}

// redactText replaces every spelling of password in text and says whether there was one.
func redactText(text, password string) (string, bool) {
	if password == "" {
		return text, false
	}
	found := false
	for _, form := range secretForms(password) {
		if form != "" && strings.Contains(text, form) {
			text = strings.ReplaceAll(text, form, "********")
			found = true
		}
	}
	return text, found
}

// secretForms are the ways a password can be spelt in a text: as is, and escaped for a URL's query, path and user
// info.
func secretForms(password string) []string {
	forms := []string{password, url.QueryEscape(password), url.PathEscape(password)}
	if ui := url.UserPassword("", password).String(); len(ui) > 1 {
		forms = append(forms, ui[1:])
	}
	return forms
}
