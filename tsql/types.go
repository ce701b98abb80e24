package tsql

import (
	"strconv"
	"strings"
)

// kind is the interpreter's own view of a data type, finer than Type: it tells decimal from float and date from
// datetime so conversions and CONVERT styles come out as SQL Server's do.
type kind int

const (
	kVariant kind = iota // not known before run time (server functions such as SERVERPROPERTY)
	kBinary
	kChar
	kVarChar
	kNChar
	kNVarChar
	kGUID
	kBit
	kTinyInt
	kSmallInt
	kInt
	kBigInt
	kDecimal
	kFloat
	kTime
	kDate
	kDateTime
	kDateTime2
)

// sqlType is a data type with its length (characters, 0 = max) or precision and scale.
type sqlType struct {
	kind  kind
	size  int
	prec  int
	scale int
}

var (
	tInt      = sqlType{kind: kInt}
	tBigInt   = sqlType{kind: kBigInt}
	tBit      = sqlType{kind: kBit}
	tFloat    = sqlType{kind: kFloat}
	tDateTime = sqlType{kind: kDateTime}
	tVariant  = sqlType{kind: kVariant}
	tGUID     = sqlType{kind: kGUID}
	tSysname  = sqlType{kind: kNVarChar, size: 128}
	tNVarMax  = sqlType{kind: kNVarChar}
)

func (t sqlType) isString() bool {
	return t.kind == kChar || t.kind == kVarChar || t.kind == kNChar || t.kind == kNVarChar
}

func (t sqlType) isInteger() bool {
	return t.kind == kBit || t.kind == kTinyInt || t.kind == kSmallInt || t.kind == kInt || t.kind == kBigInt
}

func (t sqlType) isNumeric() bool {
	return t.isInteger() || t.kind == kDecimal || t.kind == kFloat
}

func (t sqlType) isDate() bool {
	return t.kind == kTime || t.kind == kDate || t.kind == kDateTime || t.kind == kDateTime2
}

// precedence is SQL Server's data type precedence: the operand of lower precedence is converted.
func (t sqlType) precedence() int {
	switch t.kind {
	case kDateTime2:
		return 30
	case kDateTime:
		return 29
	case kDate:
		return 28
	case kTime:
		return 27
	case kFloat:
		return 26
	case kDecimal:
		return 25
	case kBigInt:
		return 24
	case kInt:
		return 23
	case kSmallInt:
		return 22
	case kTinyInt:
		return 21
	case kBit:
		return 20
	case kGUID:
		return 15
	case kNVarChar:
		return 14
	case kNChar:
		return 13
	case kVarChar:
		return 12
	case kChar:
		return 11
	case kBinary:
		return 5
	}
	return 0
}

// higher returns the type of higher precedence; an unknown type yields to a known one.
func higher(a, b sqlType) sqlType {
	if b.precedence() > a.precedence() {
		return b
	}
	return a
}

// name is the type's T-SQL name as messages spell it.
func (t sqlType) name() string {
	switch t.kind {
	case kBinary:
		return "varbinary"
	case kChar:
		return "char"
	case kVarChar:
		return "varchar"
	case kNChar:
		return "nchar"
	case kNVarChar:
		return "nvarchar"
	case kGUID:
		return "uniqueidentifier"
	case kBit:
		return "bit"
	case kTinyInt:
		return "tinyint"
	case kSmallInt:
		return "smallint"
	case kInt:
		return "int"
	case kBigInt:
		return "bigint"
	case kDecimal:
		return "numeric"
	case kFloat:
		return "float"
	case kTime:
		return "time"
	case kDate:
		return "date"
	case kDateTime:
		return "datetime"
	case kDateTime2:
		return "datetime2"
	}
	return "sql_variant"
}

// column converts the type to the Type of result set metadata. Decimals with a scale travel as float64 values,
// so they are reported as float.
func (t sqlType) column() (Type, int) {
	switch t.kind {
	case kChar, kVarChar:
		return TypeVarChar, t.size
	case kNChar, kNVarChar:
		return TypeNVarChar, t.size
	case kGUID:
		return TypeUniqueIdentifier, 0
	case kBit:
		return TypeBit, 0
	case kTinyInt:
		return TypeTinyInt, 0
	case kSmallInt:
		return TypeSmallInt, 0
	case kInt:
		return TypeInt, 0
	case kBigInt:
		return TypeBigInt, 0
	case kDecimal:
		if t.scale == 0 {
			return TypeNumeric, 0
		}
		return TypeFloat, 0
	case kFloat:
		return TypeFloat, 0
	case kTime, kDate, kDateTime, kDateTime2:
		return TypeDateTime, 0
	case kBinary:
		return TypeVarChar, t.size
	}
	return TypeNVarChar, 0
}

// fromColumn converts result set metadata back to a type.
func fromColumn(t Type, size int) sqlType {
	switch t {
	case TypeNVarChar:
		return sqlType{kind: kNVarChar, size: size}
	case TypeVarChar:
		return sqlType{kind: kVarChar, size: size}
	case TypeInt:
		return tInt
	case TypeBigInt:
		return tBigInt
	case TypeSmallInt:
		return sqlType{kind: kSmallInt}
	case TypeTinyInt:
		return sqlType{kind: kTinyInt}
	case TypeBit:
		return tBit
	case TypeDateTime:
		return tDateTime
	case TypeFloat:
		return tFloat
	case TypeNumeric:
		return sqlType{kind: kDecimal, prec: 38}
	case TypeUniqueIdentifier:
		return tGUID
	}
	return tVariant
}

// typeSpec is a data type as written: name and arguments (max for (MAX)).
type typeSpec struct {
	name string // upper case
	args []int
	max  bool
	line int
}

// String renders the type as written, for messages.
func (ts typeSpec) String() string {
	s := strings.ToLower(ts.name)
	if ts.max {
		return s + "(max)"
	}
	if len(ts.args) > 0 {
		parts := make([]string, len(ts.args))
		for i, a := range ts.args {
			parts[i] = strconv.Itoa(a)
		}
		s += "(" + strings.Join(parts, ",") + ")"
	}
	return s
}

// resolve turns a written type into a sqlType. declared is true for DECLARE and table columns, where a character
// type without a length has length 1; CAST and CONVERT default to 30.
func (ts typeSpec) resolve(declared bool) (sqlType, bool) {
	strLen := func(def int) int {
		if ts.max {
			return 0
		}
		if len(ts.args) > 0 {
			return ts.args[0]
		}
		if declared {
			return 1
		}
		return def
	}
	switch ts.name {
	case "INT", "INTEGER":
		return tInt, true
	case "BIGINT":
		return tBigInt, true
	case "SMALLINT":
		return sqlType{kind: kSmallInt}, true
	case "TINYINT":
		return sqlType{kind: kTinyInt}, true
	case "BIT":
		return tBit, true
	case "NVARCHAR", "NATIONAL":
		return sqlType{kind: kNVarChar, size: strLen(30)}, true
	case "VARCHAR":
		return sqlType{kind: kVarChar, size: strLen(30)}, true
	case "NCHAR":
		return sqlType{kind: kNChar, size: strLen(30)}, true
	case "CHAR", "CHARACTER":
		return sqlType{kind: kChar, size: strLen(30)}, true
	case "NTEXT":
		return tNVarMax, true
	case "TEXT":
		return sqlType{kind: kVarChar}, true
	case "SYSNAME":
		return tSysname, true
	case "DATETIME", "SMALLDATETIME":
		return tDateTime, true
	case "DATETIME2", "DATETIMEOFFSET":
		return sqlType{kind: kDateTime2}, true
	case "DATE":
		return sqlType{kind: kDate}, true
	case "TIME":
		return sqlType{kind: kTime}, true
	case "FLOAT", "REAL":
		return tFloat, true
	case "DECIMAL", "NUMERIC", "DEC":
		p, s := 18, 0
		if len(ts.args) > 0 {
			p = ts.args[0]
		}
		if len(ts.args) > 1 {
			s = ts.args[1]
		}
		return sqlType{kind: kDecimal, prec: p, scale: s}, true
	case "MONEY", "SMALLMONEY":
		return sqlType{kind: kDecimal, prec: 19, scale: 4}, true
	case "UNIQUEIDENTIFIER":
		return tGUID, true
	case "VARBINARY", "BINARY", "IMAGE", "ROWVERSION", "TIMESTAMP":
		return sqlType{kind: kBinary, size: strLen(30)}, true
	case "SQL_VARIANT":
		return tVariant, true
	}
	return sqlType{}, false
}

// valueType guesses the type of a value whose static type is unknown.
func valueType(v Value) sqlType {
	switch v.(type) {
	case int64:
		return tInt
	case float64:
		return tFloat
	case bool:
		return tBit
	case string:
		return tNVarMax
	case GUID:
		return tGUID
	case []byte:
		return sqlType{kind: kBinary}
	}
	if _, ok := asTime(v); ok {
		return tDateTime
	}
	return tVariant
}
