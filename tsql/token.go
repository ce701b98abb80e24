package tsql

import "strings"

// tokKind classifies a lexical token.
type tokKind uint8

const (
	tokEOF    tokKind = iota
	tokIdent          // plain identifier or keyword
	tokQuoted         // [bracketed] or "double quoted" identifier: never a keyword
	tokString         // '...' or N'...'
	tokInt            // integer literal
	tokNumber         // decimal or float literal
	tokBinary         // 0x... literal
	tokVar            // @name
	tokGlobal         // @@name
	tokOp             // operator or punctuation
)

// token is one lexical token. text is the source text (for messages), val the unescaped value of identifiers and
// strings, upper the upper-cased text of plain identifiers (keyword matching).
type token struct {
	kind    tokKind
	text    string
	val     string
	upper   string
	line    int
	unicode bool // N'...' string
}

// reserved lists T-SQL reserved keywords: as plain words they end expressions, cannot be aliases and produce
// Msg 156 rather than 102 in syntax errors.
var reserved = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`ADD ALL ALTER AND ANY AS ASC AUTHORIZATION BACKUP BEGIN BETWEEN BREAK BROWSE BULK BY
		CASCADE CASE CHECK CHECKPOINT CLOSE CLUSTERED COALESCE COLLATE COLUMN COMMIT COMPUTE CONSTRAINT CONTAINS
		CONTAINSTABLE CONTINUE CONVERT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER
		CURSOR DATABASE DBCC DEALLOCATE DECLARE DEFAULT DELETE DENY DESC DISK DISTINCT DISTRIBUTED DOUBLE DROP DUMP
		ELSE END ERRLVL ESCAPE EXCEPT EXEC EXECUTE EXISTS EXIT EXTERNAL FETCH FILE FILLFACTOR FOR FOREIGN FREETEXT
		FREETEXTTABLE FROM FULL FUNCTION GOTO GRANT GROUP HAVING HOLDLOCK IDENTITY IDENTITY_INSERT IDENTITYCOL IF IN
		INDEX INNER INSERT INTERSECT INTO IS JOIN KEY KILL LEFT LIKE LINENO LOAD MERGE NATIONAL NOCHECK NONCLUSTERED
		NOT NULL NULLIF OF OFF OFFSETS ON OPEN OPENDATASOURCE OPENQUERY OPENROWSET OPENXML OPTION OR ORDER OUTER OVER
		PERCENT PIVOT PLAN PRECISION PRIMARY PRINT PROC PROCEDURE PUBLIC RAISERROR READ READTEXT RECONFIGURE
		REFERENCES REPLICATION RESTORE RESTRICT RETURN REVERT REVOKE RIGHT ROLLBACK ROWCOUNT ROWGUIDCOL RULE SAVE
		SCHEMA SECURITYAUDIT SELECT SEMANTICKEYPHRASETABLE SESSION_USER SET SETUSER SHUTDOWN SOME STATISTICS
		SYSTEM_USER TABLE TABLESAMPLE TEXTSIZE THEN TO TOP TRAN TRANSACTION TRIGGER TRUNCATE TRY_CONVERT TSEQUAL
		UNION UNIQUE UNPIVOT UPDATE UPDATETEXT USE USER VALUES VARYING VIEW WAITFOR WHEN WHERE WHILE WITH
		WITHIN WRITETEXT`) {
		m[w] = true
	}
	return m
}()

// isKeyword reports whether t is the plain word kw (upper case).
func (t token) isKeyword(kw string) bool {
	return t.kind == tokIdent && t.upper == kw
}

// isReserved reports whether t is a plain reserved keyword.
func (t token) isReserved() bool {
	return t.kind == tokIdent && reserved[t.upper]
}

// isOp reports whether t is the operator or punctuation op.
func (t token) isOp(op string) bool {
	return t.kind == tokOp && t.text == op
}

// isName reports whether t can be an identifier: a quoted identifier or a plain non-reserved word.
func (t token) isName() bool {
	return t.kind == tokQuoted || (t.kind == tokIdent && !reserved[t.upper])
}
