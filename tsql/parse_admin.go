package tsql

import (
	"strconv"
	"strings"
)

// dbName reads the database of BACKUP or RESTORE: a name or a variable.
func (p *parser) dbName() (string, *varRef, *Error) {
	if t := p.peek(); t.kind == tokVar {
		p.pos++
		return "", &varRef{name: t.text, slot: -1}, nil
	}
	n, err := p.name()
	return n, nil, err
}

// deviceValue reads the value of DISK = ...: a string literal or a variable, as SQL Server requires.
func (p *parser) deviceValue() (expr, *Error) {
	t := p.peek()
	switch t.kind {
	case tokString:
		p.pos++
		return stringLiteral(t), nil
	case tokVar:
		p.pos++
		return &varRef{name: t.text, slot: -1}, nil
	}
	return nil, p.fail()
}

// devices reads DISK = x [, DISK = y]; other device types are refused.
func (p *parser) devices() ([]expr, string, *Error) {
	var out []expr
	refused := ""
	for {
		w, err := p.anyWord()
		if err != nil {
			return nil, "", err
		}
		switch w.upper {
		case "DISK":
		case "URL", "TAPE", "DATABASE_SNAPSHOT":
			refused = "backup devices other than DISK (" + w.upper + ")"
		default:
			if w.kind != tokIdent || !p.peek().isOp("=") {
				refused = "logical backup devices"
				out = append(out, &literal{val: w.val, typ: tNVarMax})
				if !p.acceptOp(",") {
					return out, refused, nil
				}
				continue
			}
			return nil, "", syntaxErr(w)
		}
		if err := p.expectOp("="); err != nil {
			return nil, "", err
		}
		x, err := p.deviceValue()
		if err != nil {
			return nil, "", err
		}
		out = append(out, x)
		if !p.acceptOp(",") {
			return out, refused, nil
		}
	}
}

// statsOption reads [= n] after STATS; a bare STATS reports every 10 percent.
func (p *parser) statsOption() (int, *Error) {
	if !p.acceptOp("=") {
		return 10, nil
	}
	t := p.peek()
	if t.kind != tokInt {
		return 0, p.fail()
	}
	p.pos++
	n, err := strconv.Atoi(t.text)
	if err != nil || n > 100 {
		n = 100
	}
	return n, nil
}

// ignoredValue reads = value for accepted options without effect (BUFFERCOUNT = 50 ...).
func (p *parser) ignoredValue() *Error {
	if err := p.expectOp("="); err != nil {
		return err
	}
	_, err := p.unary()
	return err
}

func (p *parser) backup(base stmtBase) (Statement, *Error) {
	p.pos++
	s := &backupStmt{stmtBase: base}
	switch {
	case p.accept("DATABASE"):
	case p.accept("LOG"):
		s.kind = BackupLog
	default:
		return &unsupportedStmt{stmtBase: base, what: "BACKUP " + p.peek().upper}, p.skipStatement(false)
	}
	var err *Error
	if s.db, s.dbVar, err = p.dbName(); err != nil {
		return nil, err
	}
	if t := p.peek(); t.isKeyword("FILE") || t.isKeyword("FILEGROUP") || t.isKeyword("READ_WRITE_FILEGROUPS") {
		return &unsupportedStmt{stmtBase: base, what: "file and filegroup backups"}, p.skipStatement(false)
	}
	if err := p.expect("TO"); err != nil {
		return nil, err
	}
	if s.disks, s.refused, err = p.devices(); err != nil {
		return nil, err
	}
	if p.accept("MIRROR") {
		return &unsupportedStmt{stmtBase: base, what: "mirrored backup media (MIRROR TO)"}, p.skipStatement(false)
	}
	if !p.accept("WITH") {
		return s, nil
	}
	for {
		w, err := p.anyWord()
		if err != nil {
			return nil, err
		}
		o := &s.opts
		switch w.upper {
		case "INIT":
			o.init = true
		case "NOINIT":
			o.init = false
		case "FORMAT":
			o.format = true
		case "NOFORMAT":
			o.format = false
		case "CHECKSUM":
			o.checksum = true
		case "NO_CHECKSUM":
			o.checksum = false
		case "COPY_ONLY":
			o.copyOnly = true
		case "COMPRESSION", "NO_COMPRESSION":
			on := w.upper == "COMPRESSION"
			o.compression = &on
		case "NORECOVERY":
			o.noRecovery = true
		case "SKIP":
			o.skip = true
		case "NOSKIP":
			o.skip = false
		case "NAME", "DESCRIPTION", "MEDIANAME":
			if err := p.expectOp("="); err != nil {
				return nil, err
			}
			x, err := p.deviceValue()
			if err != nil {
				return nil, err
			}
			switch w.upper {
			case "NAME":
				o.name = x
			case "DESCRIPTION":
				o.description = x
			default:
				o.mediaName = x
			}
		case "STATS":
			if o.stats, err = p.statsOption(); err != nil {
				return nil, err
			}
		case "BUFFERCOUNT", "MAXTRANSFERSIZE", "BLOCKSIZE", "RETAINDAYS", "EXPIREDATE", "MEDIADESCRIPTION":
			if err := p.ignoredValue(); err != nil {
				return nil, err
			}
		case "REWIND", "NOREWIND", "UNLOAD", "NOUNLOAD", "CONTINUE_AFTER_ERROR", "STOP_ON_ERROR", "NO_TRUNCATE", "RESTART":
		case "DIFFERENTIAL", "STANDBY", "ENCRYPTION", "PASSWORD", "MEDIAPASSWORD", "FILE_SNAPSHOT":
			s.refused = "BACKUP ... WITH " + w.upper
			if p.acceptOp("=") {
				if _, err := p.unary(); err != nil {
					return nil, err
				}
			} else if p.peek().isOp("(") {
				if err := p.skipParens(); err != nil {
					return nil, err
				}
			}
		default:
			return nil, syntaxErr(w)
		}
		if !p.acceptOp(",") {
			return s, nil
		}
	}
}

func (p *parser) restore(base stmtBase) (Statement, *Error) {
	p.pos++
	s := &restoreStmt{stmtBase: base}
	w, err := p.anyWord()
	if err != nil {
		return nil, err
	}
	switch w.upper {
	case "DATABASE":
	case "LOG":
		s.kind = RestoreLog
	case "VERIFYONLY":
		s.kind = RestoreVerifyOnly
	case "HEADERONLY":
		s.kind = RestoreHeaderOnly
	case "FILELISTONLY":
		s.kind = RestoreFileListOnly
	case "LABELONLY":
		s.kind = RestoreLabelOnly
	default:
		return &unsupportedStmt{stmtBase: base, what: "RESTORE " + w.upper}, p.skipStatement(false)
	}
	if s.kind == RestoreDatabase || s.kind == RestoreLog {
		if s.db, s.dbVar, err = p.dbName(); err != nil {
			return nil, err
		}
		if t := p.peek(); t.isKeyword("FILE") || t.isKeyword("FILEGROUP") || t.isKeyword("PAGE") ||
			t.isKeyword("READ_WRITE_FILEGROUPS") {
			return &unsupportedStmt{stmtBase: base, what: "file, filegroup and page restores"}, p.skipStatement(false)
		}
		if p.accept("FROM") {
			if s.disks, s.refused, err = p.devices(); err != nil {
				return nil, err
			}
		}
	} else {
		if err := p.expect("FROM"); err != nil {
			return nil, err
		}
		if s.disks, s.refused, err = p.devices(); err != nil {
			return nil, err
		}
	}
	if !p.accept("WITH") {
		return s, nil
	}
	for {
		if err := p.restoreOption(s); err != nil {
			return nil, err
		}
		if !p.acceptOp(",") {
			return s, nil
		}
	}
}

func (p *parser) restoreOption(s *restoreStmt) *Error {
	w, err := p.anyWord()
	if err != nil {
		return err
	}
	o := &s.opts
	switch w.upper {
	case "FILE":
		if err := p.expectOp("="); err != nil {
			return err
		}
		t := p.peek()
		if t.kind != tokInt && t.kind != tokVar {
			return p.fail()
		}
		s.file, err = p.primary()
		return err
	case "REPLACE":
		o.replace = true
	case "RECOVERY":
		o.recovery = RecoveryRecover
	case "NORECOVERY":
		o.recovery = RecoveryNoRecovery
	case "STANDBY":
		if err := p.expectOp("="); err != nil {
			return err
		}
		o.recovery = RecoveryStandby
		s.standby, err = p.deviceValue()
		return err
	case "CHECKSUM":
		o.checksum = true
	case "NO_CHECKSUM":
		o.checksum = false
	case "STATS":
		o.stats, err = p.statsOption()
		return err
	case "MOVE":
		from, err := p.deviceValue()
		if err != nil {
			return err
		}
		if err := p.expect("TO"); err != nil {
			return err
		}
		to, err := p.deviceValue()
		if err != nil {
			return err
		}
		s.moves = append(s.moves, [2]expr{from, to})
	case "BUFFERCOUNT", "MAXTRANSFERSIZE", "BLOCKSIZE", "MEDIANAME":
		return p.ignoredValue()
	case "KEEP_REPLICATION", "KEEP_CDC", "NOUNLOAD", "UNLOAD", "REWIND", "NOREWIND", "CONTINUE_AFTER_ERROR",
		"STOP_ON_ERROR", "LOADHISTORY", "ENABLE_BROKER", "NEW_BROKER", "ERROR_BROKER_CONVERSATIONS", "RESTRICTED_USER":
	case "PARTIAL", "STOPAT", "STOPATMARK", "STOPBEFOREMARK", "PASSWORD", "MEDIAPASSWORD", "FILESTREAM":
		s.refused = "RESTORE ... WITH " + w.upper
		if p.acceptOp("=") {
			if _, err := p.unary(); err != nil {
				return err
			}
			if p.accept("AFTER") {
				_, err = p.unary()
				return err
			}
		} else if p.peek().isOp("(") {
			return p.skipParens()
		}
	default:
		return syntaxErr(w)
	}
	return nil
}

// alter parses ALTER DATABASE ... SET; every other ALTER is refused readably.
func (p *parser) alter(base stmtBase) (Statement, *Error) {
	p.pos++
	if !p.accept("DATABASE") {
		what := "ALTER " + p.peek().upper
		switch p.peek().upper {
		case "PROC", "PROCEDURE", "FUNCTION", "TRIGGER", "VIEW":
			return &unsupportedStmt{stmtBase: base, what: what}, p.skipStatement(true)
		}
		return &unsupportedStmt{stmtBase: base, what: what}, p.skipAlter()
	}
	s := &alterDBStmt{stmtBase: base}
	if p.accept("CURRENT") {
		s.db = "CURRENT"
	} else {
		n, err := p.name()
		if err != nil {
			return nil, err
		}
		s.db = n
	}
	if !p.accept("SET") {
		return &unsupportedStmt{stmtBase: base, what: "ALTER DATABASE ... " + p.peek().upper}, p.skipAlter()
	}
	s.spec.Database = s.db
	ok, err := p.alterOption(s)
	if err != nil {
		return nil, err
	}
	if !ok || p.peek().isOp(",") {
		return &unsupportedStmt{stmtBase: base, what: "this ALTER DATABASE option"}, p.skipAlter()
	}
	if p.accept("WITH") {
		switch {
		case p.accept("NO_WAIT"):
			s.spec.Termination = TerminateNoWait
		case p.accept("ROLLBACK"):
			if p.accept("IMMEDIATE") {
				s.spec.Termination = TerminateRollbackImmediate
				break
			}
			if err := p.expect("AFTER"); err != nil {
				return nil, err
			}
			t := p.peek()
			if t.kind != tokInt {
				return nil, p.fail()
			}
			p.pos++
			n, err := strconv.Atoi(t.text)
			if err != nil {
				return nil, syntaxErr(t)
			}
			p.accept("SECONDS")
			s.spec.Termination, s.spec.RollbackAfter = TerminateRollbackAfter, n
		default:
			return nil, p.fail()
		}
	}
	return s, nil
}

func (p *parser) skipAlter() *Error {
	p.keepSet = true
	defer func() { p.keepSet = false }()
	return p.skipStatement(false)
}

// alterOption reads the option after ALTER DATABASE ... SET; ok is false for options the server refuses.
func (p *parser) alterOption(s *alterDBStmt) (bool, *Error) {
	w, err := p.anyWord()
	if err != nil {
		return false, err
	}
	simple := map[string]AlterAction{"SINGLE_USER": AlterSingleUser, "RESTRICTED_USER": AlterRestrictedUser,
		"MULTI_USER": AlterMultiUser, "READ_ONLY": AlterReadOnly, "READ_WRITE": AlterReadWrite, "OFFLINE": AlterOffline,
		"ONLINE": AlterOnline}
	if a, ok := simple[w.upper]; ok {
		s.spec.Action = a
		return true, nil
	}
	switch w.upper {
	case "PARTNER":
		if p.acceptOp("=") {
			x, err := p.deviceValue()
			if err != nil {
				return false, err
			}
			s.spec.Action, s.addr = AlterPartnerAddress, x
			return true, nil
		}
		n, err := p.anyWord()
		if err != nil {
			return false, err
		}
		switch strings.ToUpper(n.val) {
		case "OFF":
			s.spec.Action = AlterPartnerOff
		case "FAILOVER":
			s.spec.Action = AlterPartnerFailover
		case "SUSPEND":
			s.spec.Action = AlterPartnerSuspend
		case "RESUME":
			s.spec.Action = AlterPartnerResume
		default:
			return false, nil
		}
		return true, nil
	case "WITNESS":
		if p.accept("OFF") {
			s.spec.Action = AlterWitnessOff
			return true, nil
		}
		return false, nil
	case "RECOVERY":
		n, err := p.anyWord()
		if err != nil {
			return false, err
		}
		switch strings.ToUpper(n.val) {
		case "FULL":
			s.spec.Action = AlterRecoveryFull
		case "BULK_LOGGED":
			s.spec.Action = AlterRecoveryBulkLogged
		case "SIMPLE":
			s.spec.Action = AlterRecoverySimple
		default:
			return false, syntaxErr(n)
		}
		return true, nil
	}
	return false, nil
}
