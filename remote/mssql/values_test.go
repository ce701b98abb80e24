package mssql

import (
	"testing"
	"time"
)

func TestConvert(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	guid := []byte{0x78, 0x56, 0x34, 0x12, 0x34, 0x12, 0x34, 0x12, 0xab, 0xcd, 1, 2, 3, 4, 5, 6}
	cases := []struct {
		name   string
		in     any
		dbType string
		want   any
	}{
		{"null", nil, "INT", nil},
		{"bigint", int64(-5), "BIGINT", int64(-5)},
		{"int32", int32(7), "INT", int64(7)},
		{"real", float32(0.5), "REAL", 0.5},
		{"bit", true, "BIT", true},
		{"datetime", now, "DATETIME", now},
		{"nvarchar", "x", "NVARCHAR", "x"},
		{"varchar bytes", []byte("abc"), "VARCHAR", "abc"},
		{"lsn", []byte("39000000012300001"), "DECIMAL", int64(39000000012300001)},
		{"integral with zeros", []byte("12.000"), "DECIMAL", int64(12)},
		{"negative", []byte("-3"), "DECIMAL", int64(-3)},
		{"fraction", []byte("12.50"), "DECIMAL", 12.5},
		{"money", []byte("1.2345"), "MONEY", 1.2345},
		{"too large keeps every digit", []byte("99999999999999999999999999"), "DECIMAL", "99999999999999999999999999"},
		{"guid", guid, "UNIQUEIDENTIFIER", "12345678-1234-1234-ABCD-010203040506"},
		{"short guid stays bytes", []byte{1, 2}, "UNIQUEIDENTIFIER", nil},
		{"varbinary", []byte{0xde, 0xad}, "VARBINARY", nil},
		{"uint64 overflow", uint64(1) << 63, "X", "9223372036854775808"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := convert(c.in, c.dbType)
			if b, ok := c.in.([]byte); ok && c.want == nil {
				gb, isBytes := got.([]byte)
				if !isBytes || string(gb) != string(b) {
					t.Fatalf("got %#v, want the bytes", got)
				}
				return
			}
			if got != c.want {
				t.Fatalf("got %#v (%T), want %#v (%T)", got, got, c.want, c.want)
			}
		})
	}
}

// FuzzConvert: any bytes under any column type convert without a panic to one of the event value types.
func FuzzConvert(f *testing.F) {
	for _, s := range []string{"12.50", "-0.000", "99999999999999999999999999", ".5", "-", "1e5", "", "0x10"} {
		f.Add([]byte(s), "DECIMAL")
	}
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, "UNIQUEIDENTIFIER")
	f.Add([]byte("x"), "VARBINARY")
	f.Fuzz(func(t *testing.T, b []byte, dbType string) {
		switch v := convert(b, dbType).(type) {
		case int64, float64, string, []byte:
		default:
			t.Fatalf("%q as %s gave %T", b, dbType, v)
		}
	})
}
