package winrm

import (
	"encoding/base64"
	"fmt"
	"io"
	"unicode/utf16"
)

// Command-line limits.
const (
	// maxCommandLine is what the encoded form may use. cmd.exe, which runs the command
	// (WINRS_SKIP_CMD_SHELL=FALSE), refuses lines over 8191 characters; the margin covers what it adds.
	maxCommandLine = 8000
	// maxScript bounds a script sent on stdin.
	maxScript = 1 << 20
	// stdinPiece is how much stdin one Send carries: base64 makes it a third larger, and it must fit the
	// 150 KiB envelope (the library itself would send up to 149 KiB raw, which does not).
	stdinPiece = 32 << 10
)

// prefix is the command that runs a script: no profile (the Lync module is imported by the scripts that need
// it), and no prompts, which would otherwise wait for input that never comes.
const prefix = "powershell.exe -NoProfile -NonInteractive"

// invocation is how one script is sent.
type invocation struct {
	command string
	stdin   io.Reader
}

// invocationFor encodes a script: -EncodedCommand with base64 of UTF-16LE when that fits the command line,
// otherwise -Command - with the script on stdin. powershell.exe reads stdin a statement at a time in that mode,
// so the script is followed by a blank line, which ends a multi-line statement left open at the end.
func invocationFor(script string) (invocation, error) {
	u := utf16.Encode([]rune(script))
	b := make([]byte, 2*len(u))
	for i, v := range u {
		b[2*i], b[2*i+1] = byte(v), byte(v>>8)
	}
	cmd := prefix + " -EncodedCommand " + base64.StdEncoding.EncodeToString(b)
	if len(cmd) <= maxCommandLine {
		return invocation{command: cmd}, nil
	}
	if len(script) > maxScript {
		return invocation{}, fmt.Errorf("winrm: the script is %d bytes; at most %d can be sent", len(script), maxScript)
	}
	return invocation{command: prefix + " -Command -", stdin: &pieces{s: script + "\r\n\r\n"}}, nil
}

// pieces reads a string in stdinPiece parts. It has no WriteTo, so io.Copy does not hand the whole script to one
// Write (which the library would send as one oversized Send).
type pieces struct{ s string }

// Read implements io.Reader.
func (p *pieces) Read(b []byte) (int, error) {
	if p.s == "" {
		return 0, io.EOF
	}
	n := copy(b[:min(len(b), stdinPiece)], p.s)
	p.s = p.s[n:]
	return n, nil
}
