package tds

import (
	"fmt"

	"pcfailback/tsql"
)

// streamError is a request whose framing was fine but whose content is not a valid stream: the server answers
// it with an error message, as SQL Server does, and the connection stays usable.
type streamError struct {
	number int32
	text   string
}

func (e *streamError) Error() string { return e.text }

// message is the error as the client receives it.
func (e *streamError) message() tsql.Message {
	return tsql.Message{Number: e.number, Class: 16, State: 1, Text: e.text}
}

// errStream is SQL Server's Msg 4002 for a request that ends or jumps where it must not.
func errStream(detail string) *streamError {
	return &streamError{number: 4002, text: "The incoming tabular data stream (TDS) protocol stream is incorrect. " + detail}
}

// skipAllHeaders skips ALL_HEADERS, which TDS 7.2 and later put in front of every batch and RPC (the client
// sends the transaction descriptor there). Its total length counts itself.
func skipAllHeaders(r *reader) error {
	total := int(r.u32())
	if r.err != nil || total < 4 || total-4 > r.left() {
		return errStream("The ALL_HEADERS length is wrong.")
	}
	r.take(total - 4)
	return nil
}

// parseBatch reads a SQL batch: ALL_HEADERS, then the text in UTF-16LE.
func parseBatch(b []byte) (string, error) {
	r := &reader{b: b}
	if err := skipAllHeaders(r); err != nil {
		return "", err
	}
	rest := r.take(r.left())
	if len(rest)%2 != 0 {
		return "", errStream(fmt.Sprintf("The batch text has an odd length (%d bytes).", len(rest)))
	}
	return ucs2(rest), nil
}
