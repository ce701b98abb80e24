package config

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// MaxFileSize bounds what Load reads and Parse accepts; a real configuration is a few kilobytes, and the bound
// keeps a mistaken --config /dev/zero from eating memory.
const MaxFileSize = 1 << 20

// Parse decodes and validates a configuration held in memory; path is only used in messages and to resolve
// relative file names. It is Load without the file system read, and refuses training-only settings.
func Parse(path string, data []byte) (*Config, error) {
	return ParseWith(path, data, Options{})
}

// ParseWith is Parse with options.
//
// On failure the error is an Errors holding every problem found (unknown keys, wrong types, invalid values,
// missing keys), in file order. A TOML syntax error stops decoding, so it comes alone.
func ParseWith(path string, data []byte, opts Options) (*Config, error) {
	if len(data) > MaxFileSize {
		return nil, Errors{{File: path, Msg: fmt.Sprintf("file is larger than %d bytes; is this the right file?", MaxFileSize)}}
	}
	var raw rawConfig
	err := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields().Decode(&raw)
	r := &reader{file: path}
	var strict *toml.StrictMissingError
	var dec *toml.DecodeError
	switch {
	case err == nil:
	case errors.As(err, &strict):
		// Unknown keys do not stop the decoder, so the rest is checked too and everything is reported at once.
		for i := range strict.Errors {
			e := &strict.Errors[i]
			line, _ := e.Position()
			r.failAt(line, displayKey(e.Key()), "%s", unknownKeyMessage(e.Key()))
		}
	case errors.As(err, &dec):
		return nil, Errors{decodeProblem(path, dec)}
	default:
		return nil, Errors{{File: path, Msg: err.Error(), Err: err}}
	}
	r.pos = indexPositions(data)
	cfg := build(r, &raw, opts)
	if len(r.errs) > 0 {
		sortErrors(r.errs)
		return nil, r.errs
	}
	return cfg, nil
}

// decodeProblem turns a decoder error into an Error. With `any` leaves the decoder only fails on syntax, on a
// key defined twice, or on a value where a table belongs; the last is reworded without Go type names.
func decodeProblem(path string, dec *toml.DecodeError) *Error {
	line, col := dec.Position()
	msg := strings.TrimPrefix(dec.Error(), "toml: ")
	field := displayKey(dec.Key())
	if field == "" {
		return &Error{File: path, Line: line, Column: col, Msg: msg}
	}
	switch {
	case strings.HasPrefix(msg, "cannot decode TOML "):
		kind, _, _ := strings.Cut(strings.TrimPrefix(msg, "cannot decode TOML "), " ")
		msg = "expected a table, got " + article(kind)
	case strings.HasPrefix(msg, "cannot store an array table"):
		msg = "expected a table, got an array of tables ([[...]]); write [" + field + "]"
	}
	return &Error{File: path, Line: line, Field: field, Msg: msg}
}

// article puts "a" or "an" before a TOML type name.
func article(kind string) string {
	if kind == "" {
		return "another type"
	}
	switch kind[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an " + kind
	}
	return "a " + kind
}

// displayKey renders a decoder key path the way the file would write it.
func displayKey(key toml.Key) string {
	parts := make([]string, len(key))
	for i, k := range key {
		parts[i] = quoteKeyPart(k)
	}
	return joinPath(parts)
}
