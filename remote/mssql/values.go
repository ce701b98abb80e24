package mssql

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	mssqldb "github.com/microsoft/go-mssqldb"
)

// convert turns a value as the driver scans it into the types remote.SQLEvent carries: nil, int64, float64, bool,
// string, time.Time or []byte. dbType is the column's type name as the driver reports it (upper case).
//
// The driver returns decimal, numeric and money values as their text; they become int64 when integral and within
// range (LSNs are numeric(25,0)), float64 otherwise, and stay text when an integer is too large for int64 so that no
// digit is lost. A uniqueidentifier arrives in SQL Server's mixed-endian byte order and becomes its canonical
// upper-case text, as SSMS shows it.
func convert(v any, dbType string) any {
	switch x := v.(type) {
	case nil, int64, float64, bool, string, time.Time:
		return x
	case []byte:
		switch dbType {
		case "UNIQUEIDENTIFIER":
			var u mssqldb.UniqueIdentifier
			if u.Scan(x) == nil {
				return u.String()
			}
			return x
		case "DECIMAL", "NUMERIC", "MONEY", "SMALLMONEY":
			return number(string(x))
		case "VARCHAR", "CHAR", "TEXT", "NVARCHAR", "NCHAR", "NTEXT", "XML":
			return string(x)
		}
		return x
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case int16:
		return int64(x)
	case int8:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		if x > math.MaxInt64 {
			return strconv.FormatUint(x, 10)
		}
		return int64(x)
	case float32:
		return float64(x)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// number converts a decimal's text: int64 when integral and in range, the text itself when integral but too large,
// float64 otherwise (and the text when it does not parse at all).
func number(s string) any {
	s = strings.TrimSpace(s)
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if !hasFrac || strings.Trim(frac, "0") == "" {
		if n, err := strconv.ParseInt(intPart, 10, 64); err == nil {
			return n
		}
		if _, ok := new(big.Int).SetString(intPart, 10); ok {
			return intPart
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f
	}
	return s
}
