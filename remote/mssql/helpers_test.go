package mssql

import (
	"context"
	"testing"
	"time"

	"pcfailback/config"
	"pcfailback/remote"
)

// secret is a password distinctive enough to be found in any text it leaks into.
const secret = `Pa55;w@rd'"%\Zz`

// hangGuard bounds what a test waits for; it only catches hangs and is never a measurement.
const hangGuard = 30 * time.Second

// fakeOptions are options for the scripted server: SQL login, no encryption.
func fakeOptions(port int) Options {
	return Options{Host: "127.0.0.1", Port: port, Auth: config.MethodSQL, User: "dba", Password: secret,
		Encrypt: config.EncryptDisable, AllowDisable: true, LoginTimeout: 10 * time.Second}
}

// open opens a Conn or fails the test.
func open(t testing.TB, o Options) *Conn {
	t.Helper()
	c, err := Open(o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// connect opens a session or fails the test.
func connect(t testing.TB, c *Conn, db string) *Session {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	s, err := c.connect(ctx, db)
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// collect runs a script and returns its events.
func collect(t testing.TB, s remote.SQLSession, script string) ([]remote.SQLEvent, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	var evs []remote.SQLEvent
	err := s.Run(ctx, script, func(ev remote.SQLEvent) { evs = append(evs, ev) })
	if ctx.Err() != nil {
		t.Fatalf("Run did not return within %v", hangGuard)
	}
	return evs, err
}
