package tds

import (
	"encoding/binary"
	"math"
	"math/big"
	"time"

	"pcfailback/tsql"
)

// TDS data types the server puts in COLMETADATA.
const (
	typGUID       = 0x24
	typIntN       = 0x26
	typDateTime2N = 0x2A
	typBitN       = 0x68
	typNumericN   = 0x6C
	typFltN       = 0x6D
	typDateTimeN  = 0x6F
	typBigVarBin  = 0xA5
	typBigVarChar = 0xA7
	typNVarChar   = 0xE7
)

// plpMax is the length field that marks a (max) column: its values travel as partially length-prefixed chunks.
const plpMax = 0xFFFF

// numericPrec is the precision numeric columns are declared with: wide enough for any int64 and any LSN.
const numericPrec = 38

// wireCol is how one result column goes on the wire.
type wireCol struct {
	name string
	typ  byte
	// size is the byte length of INTN/FLTN values, or the declared byte length of character and binary columns
	// (plpMax for (max)).
	size int
}

// planColumns picks each column's wire type from its declared type and the values it actually holds. The
// declared type wins when every value fits it; a value that does not (a string in an int column, a varchar
// holding characters outside code page 1252, text longer than the declared length) moves the column to a type
// that carries it without loss, so the client always receives what the server computed.
func planColumns(t *tsql.Table) []wireCol {
	cols := make([]wireCol, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = planColumn(c, t.Rows, i)
	}
	return cols
}

func planColumn(c tsql.Column, rows [][]tsql.Value, i int) wireCol {
	each := func(ok func(v tsql.Value) bool) bool {
		for _, r := range rows {
			if i < len(r) && r[i] != nil && !ok(r[i]) {
				return false
			}
		}
		return true
	}
	col := wireCol{name: c.Name}
	switch c.Type {
	case tsql.TypeNVarChar:
		return textColumn(col, c.Size, rows, i, false)
	case tsql.TypeVarChar:
		if each(func(v tsql.Value) bool { _, ok := v.([]byte); return ok }) && hasValue(rows, i) {
			col.typ, col.size = typBigVarBin, plpMax
			if c.Size > 0 && c.Size <= 8000 && each(func(v tsql.Value) bool { return len(v.([]byte)) <= c.Size }) {
				col.size = c.Size
			}
			return col
		}
		if each(func(v tsql.Value) bool { s, ok := v.(string); return !ok || fitsCP1252(s) }) {
			return textColumn(col, c.Size, rows, i, true)
		}
		return textColumn(col, c.Size, rows, i, false)
	case tsql.TypeInt, tsql.TypeBigInt, tsql.TypeSmallInt, tsql.TypeTinyInt:
		size := map[tsql.Type]int{tsql.TypeInt: 4, tsql.TypeBigInt: 8, tsql.TypeSmallInt: 2, tsql.TypeTinyInt: 1}[c.Type]
		if !each(func(v tsql.Value) bool { _, ok := asInt(v); return ok }) {
			break
		}
		if !each(func(v tsql.Value) bool { n, _ := asInt(v); return intFits(n, size) }) {
			size = 8
		}
		col.typ, col.size = typIntN, size
		return col
	case tsql.TypeBit:
		if each(func(v tsql.Value) bool { _, ok := asBit(v); return ok }) {
			col.typ, col.size = typBitN, 1
			return col
		}
	case tsql.TypeFloat:
		if each(func(v tsql.Value) bool { _, ok := asFloat(v); return ok }) {
			col.typ, col.size = typFltN, 8
			return col
		}
	case tsql.TypeNumeric:
		if each(func(v tsql.Value) bool { _, ok := asNumeric(v); return ok }) {
			col.typ, col.size = typNumericN, 17
			return col
		}
		if each(func(v tsql.Value) bool { _, ok := asFloat(v); return ok }) {
			col.typ, col.size = typFltN, 8
			return col
		}
	case tsql.TypeDateTime:
		isTime := func(v tsql.Value) bool { _, ok := v.(time.Time); return ok }
		if !each(isTime) {
			break
		}
		if each(func(v tsql.Value) bool { return inDateTimeRange(v.(time.Time)) }) {
			col.typ, col.size = typDateTimeN, 8
			return col
		}
		if each(func(v tsql.Value) bool { return inDateTime2Range(v.(time.Time)) }) {
			col.typ, col.size = typDateTime2N, 8
			return col
		}
	case tsql.TypeUniqueIdentifier:
		if each(func(v tsql.Value) bool { _, ok := v.(tsql.GUID); return ok }) {
			col.typ, col.size = typGUID, 16
			return col
		}
	}
	return textColumn(col, 0, rows, i, false)
}

// hasValue says the column holds at least one non-NULL value.
func hasValue(rows [][]tsql.Value, i int) bool {
	for _, r := range rows {
		if i < len(r) && r[i] != nil {
			return true
		}
	}
	return false
}

// textColumn declares an nvarchar (or varchar) column of the declared length, or (max) when the length is 0,
// too long for the short form, or shorter than a value.
func textColumn(col wireCol, chars int, rows [][]tsql.Value, i int, varchar bool) wireCol {
	col.typ, col.size = typNVarChar, plpMax
	limit, unit := 4000, 2
	if varchar {
		col.typ, limit, unit = typBigVarChar, 8000, 1
	}
	if chars <= 0 || chars > limit {
		return col
	}
	for _, r := range rows {
		if i < len(r) && r[i] != nil {
			s := text(r[i])
			n := ucs2Len(s)
			if varchar {
				n = len([]rune(s))
			}
			if n > chars {
				return col
			}
		}
	}
	col.size = chars * unit
	return col
}

// intFits says n fits an integer of size bytes (tinyint is unsigned).
func intFits(n int64, size int) bool {
	switch size {
	case 1:
		return n >= 0 && n <= math.MaxUint8
	case 2:
		return n >= math.MinInt16 && n <= math.MaxInt16
	case 4:
		return n >= math.MinInt32 && n <= math.MaxInt32
	}
	return true
}

// appendColMetadata appends COLMETADATA for cols.
func appendColMetadata(b []byte, cols []wireCol) []byte {
	b = append(b, tokColMetadata)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(cols)))
	for _, c := range cols {
		b = binary.LittleEndian.AppendUint32(b, 0) // user type
		b = binary.LittleEndian.AppendUint16(b, 1) // flags: nullable
		b = append(b, c.typ)
		switch c.typ {
		case typIntN, typBitN, typFltN, typDateTimeN, typGUID:
			b = append(b, byte(c.size))
		case typNumericN:
			b = append(b, byte(c.size), numericPrec, 0)
		case typDateTime2N:
			b = append(b, 7)
		case typBigVarBin:
			b = binary.LittleEndian.AppendUint16(b, uint16(c.size))
		case typNVarChar, typBigVarChar:
			b = binary.LittleEndian.AppendUint16(b, uint16(c.size))
			b = append(b, collation[:]...)
		}
		b = appendBVarChar(b, c.name)
	}
	return b
}

// appendRow appends one ROW token.
func appendRow(b []byte, cols []wireCol, row []tsql.Value) []byte {
	b = append(b, tokRow)
	for i, c := range cols {
		var v tsql.Value
		if i < len(row) {
			v = row[i]
		}
		b = appendValue(b, c, v)
	}
	return b
}

// appendValue appends one value of column c; nil is NULL.
func appendValue(b []byte, c wireCol, v tsql.Value) []byte {
	if v == nil {
		switch c.typ {
		case typNVarChar, typBigVarChar, typBigVarBin:
			if c.size == plpMax {
				return binary.LittleEndian.AppendUint64(b, math.MaxUint64)
			}
			return binary.LittleEndian.AppendUint16(b, 0xFFFF)
		}
		return append(b, 0)
	}
	switch c.typ {
	case typIntN:
		n, _ := asInt(v)
		b = append(b, byte(c.size))
		for i := 0; i < c.size; i++ {
			b = append(b, byte(uint64(n)>>(8*i)))
		}
		return b
	case typBitN:
		x, _ := asBit(v)
		if x {
			return append(b, 1, 1)
		}
		return append(b, 1, 0)
	case typFltN:
		f, _ := asFloat(v)
		return binary.LittleEndian.AppendUint64(append(b, 8), math.Float64bits(f))
	case typNumericN:
		n, _ := asNumeric(v)
		sign := byte(1)
		if n.Sign() < 0 {
			sign = 0
		}
		mag := make([]byte, 16)
		be := new(big.Int).Abs(n).Bytes()
		for i := 0; i < len(be) && i < 16; i++ {
			mag[i] = be[len(be)-1-i]
		}
		return append(append(b, 17, sign), mag...)
	case typDateTimeN:
		return appendDateTime(append(b, 8), v.(time.Time))
	case typDateTime2N:
		return appendDateTime2(append(b, 8), v.(time.Time))
	case typGUID:
		w := guidWire(v.(tsql.GUID))
		return append(append(b, 16), w[:]...)
	case typBigVarBin:
		return appendBytes(b, c, v.([]byte))
	case typBigVarChar:
		enc, _ := encodeCP1252(nil, text(v))
		return appendBytes(b, c, enc)
	}
	return appendBytes(b, c, appendUCS2(nil, text(v)))
}

// appendBytes appends a character or binary value in the short form or as PLP chunks.
func appendBytes(b []byte, c wireCol, data []byte) []byte {
	if c.size != plpMax {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(data)))
		return append(b, data...)
	}
	b = binary.LittleEndian.AppendUint64(b, uint64(len(data)))
	if len(data) > 0 {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
		b = append(b, data...)
	}
	return binary.LittleEndian.AppendUint32(b, 0)
}
