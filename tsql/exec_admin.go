package tsql

// textArg evaluates an expression to a string (paths, names); NULL gives "".
func (sc *scope) textArg(e expr) (string, error) {
	if e == nil {
		return "", nil
	}
	v, t, err := sc.eval(e)
	if err != nil {
		return "", err
	}
	if v == nil {
		return "", nil
	}
	return toText(v, t), nil
}

func (sc *scope) textArgs(list []expr) ([]string, error) {
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, err := sc.textArg(e)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// inTransaction raises 3021 and the terminating message for BACKUP and RESTORE inside a user transaction.
func (sc *scope) inTransaction(verb string) error {
	if sc.r.sess.TranCount == 0 {
		return nil
	}
	return raise(newErr(3021, 16, "Cannot perform a backup or restore operation within a transaction."),
		newErr(3013, 16, "%s is terminating abnormally.", verb))
}

func (sc *scope) dbArg(name string, v *varRef) (string, error) {
	if v == nil {
		return name, nil
	}
	if v.slot < 0 || v.slot >= len(sc.vars) {
		return "", raise(undeclared(v.name))
	}
	x := sc.vars[v.slot]
	if x.val == nil {
		return "", nil
	}
	return toText(x.val, x.typ), nil
}

func (sc *scope) execBackup(s *backupStmt) error {
	verb := s.Verb()
	if err := sc.inTransaction(verb); err != nil {
		return err
	}
	if s.refused != "" {
		return raise(unsupportedErr(s.refused))
	}
	db, err := sc.dbArg(s.db, s.dbVar)
	if err != nil {
		return err
	}
	spec := BackupSpec{Kind: s.kind, Database: db, Init: s.opts.init, Format: s.opts.format,
		Checksum: s.opts.checksum, CopyOnly: s.opts.copyOnly, Compression: s.opts.compression,
		NoRecovery: s.opts.noRecovery, Skip: s.opts.skip, Stats: s.opts.stats, Line: int32(s.Line())}
	if spec.Disks, err = sc.textArgs(s.disks); err != nil {
		return err
	}
	if spec.Name, err = sc.textArg(s.opts.name); err != nil {
		return err
	}
	if spec.Description, err = sc.textArg(s.opts.description); err != nil {
		return err
	}
	if spec.MediaName, err = sc.textArg(s.opts.mediaName); err != nil {
		return err
	}
	r := sc.r
	r.sess.rowCount = 0
	return r.host.Backup(r.ctx, spec, r.out)
}

// restoreVerb is how the terminating message 3013 names each RESTORE form.
func restoreVerb(k RestoreKind) string {
	switch k {
	case RestoreLog:
		return "RESTORE LOG"
	case RestoreVerifyOnly:
		return "VERIFY DATABASE"
	case RestoreHeaderOnly:
		return "RESTORE HEADERONLY"
	case RestoreFileListOnly:
		return "RESTORE FILELIST"
	case RestoreLabelOnly:
		return "RESTORE LABELONLY"
	}
	return "RESTORE DATABASE"
}

func (sc *scope) execRestore(s *restoreStmt) error {
	if err := sc.inTransaction(restoreVerb(s.kind)); err != nil {
		return err
	}
	if s.refused != "" {
		return raise(unsupportedErr(s.refused))
	}
	db, err := sc.dbArg(s.db, s.dbVar)
	if err != nil {
		return err
	}
	spec := RestoreSpec{Kind: s.kind, Database: db, Replace: s.opts.replace, Recovery: s.opts.recovery,
		Checksum: s.opts.checksum, Stats: s.opts.stats, Line: int32(s.Line())}
	if spec.Disks, err = sc.textArgs(s.disks); err != nil {
		return err
	}
	if s.file != nil {
		v, t, err := sc.eval(s.file)
		if err != nil {
			return err
		}
		if v != nil {
			n, err := intArg(v, t)
			if err != nil {
				return err
			}
			spec.File = int(clampInt(n, 0, 1<<31-1))
		}
	}
	if spec.StandbyFile, err = sc.textArg(s.standby); err != nil {
		return err
	}
	for _, m := range s.moves {
		l, err := sc.textArg(m[0])
		if err != nil {
			return err
		}
		p, err := sc.textArg(m[1])
		if err != nil {
			return err
		}
		spec.Moves = append(spec.Moves, Move{Logical: l, Physical: p})
	}
	r := sc.r
	r.sess.rowCount = 0
	return r.host.Restore(r.ctx, spec, r.out)
}

func (sc *scope) execAlter(s *alterDBStmt) error {
	r := sc.r
	if r.sess.TranCount > 0 {
		return raise(newErr(226, 16, "ALTER DATABASE statement not allowed within multi-statement transaction."))
	}
	spec := s.spec
	spec.Line = int32(s.Line())
	if s.addr != nil {
		addr, err := sc.textArg(s.addr)
		if err != nil {
			return err
		}
		spec.Address = addr
	}
	r.sess.rowCount = 0
	return r.host.AlterDatabase(r.ctx, spec, r.out)
}
