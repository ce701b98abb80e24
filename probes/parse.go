package probes

import (
	"errors"
	"strings"
)

// ParseHealth reads the result sets of HealthBatch into in (which should be fresh: maps empty). Unknown tags are
// ignored so a newer batch can talk to an older parser; a known tag with a missing or mistyped column is an error
// naming the tag and column. Databases named in names but absent from the reply are recorded as not existing.
func ParseHealth(in *Instance, names Names, sets []ResultSet) error {
	in.Databases = map[string]*Database{}
	for _, n := range []string{names.ChatDB, names.ComplianceDB} {
		in.Databases[n] = &Database{Name: n}
	}
	in.Files = map[string]FileCheck{}
	var errs []error
	for _, set := range sets {
		cols := map[string]int{}
		for i, c := range set.Columns {
			cols[strings.ToLower(c)] = i
		}
		tagIdx, ok := cols["probe"]
		if !ok {
			continue
		}
		for _, vals := range set.Rows {
			if tagIdx >= len(vals) {
				continue
			}
			tag, _ := vals[tagIdx].(string)
			r := newRow(tag, cols, vals)
			parseRow(in, r)
			if r.err != nil {
				errs = append(errs, r.err)
			}
		}
	}
	return errors.Join(errs...)
}

// db finds the database a row is about, matching names case-insensitively as SQL Server's default collation does.
func (in *Instance) db(name string) *Database {
	for k, d := range in.Databases {
		if strings.EqualFold(k, name) {
			return d
		}
	}
	return nil
}

func parseRow(in *Instance, r *row) {
	switch r.tag {
	case "server":
		in.Server = r.str("server_name")
		in.Version = r.str("product_version")
		in.ServerTime = r.time("server_time")
	case "databases":
		if d := in.db(r.str("name")); d != nil {
			d.Exists = true
			d.ID = r.int("database_id")
			d.State = r.str("state_desc")
			d.RecoveryModel = r.str("recovery_model_desc")
			d.UserAccess = r.str("user_access_desc")
			d.ReadOnly = r.bool("is_read_only")
		}
	case "mirroring":
		if d := in.db(r.str("db")); d != nil {
			d.Mirroring = Mirroring{
				GUID: r.str("mirroring_guid"), Role: r.str("mirroring_role_desc"), State: r.str("mirroring_state_desc"),
				Partner: r.str("mirroring_partner_name"), PartnerInstance: r.str("mirroring_partner_instance"),
				Witness: r.str("mirroring_witness_name"), WitnessState: r.str("mirroring_witness_state_desc"),
				Safety: r.str("mirroring_safety_level_desc"),
			}
		}
	case "dbfiles":
		if d := in.db(r.str("db")); d != nil {
			d.Files = append(d.Files, DBFile{Logical: r.str("name"), Physical: r.str("physical_name"), Type: r.str("type_desc"), SizeMB: r.int("size_mb")})
		}
	case "sessions":
		if d := in.db(r.str("db")); d != nil {
			d.Sessions = append(d.Sessions, SessionGroup{Host: r.str("host_name"), Program: r.str("program_name"), Count: int(r.int("sessions"))})
		}
	case "backup":
		b := &BackupSet{
			Database: r.str("database_name"), Type: r.str("type"), Name: r.str("name"),
			Start: r.time("backup_start_date"), Finish: r.time("backup_finish_date"),
			Checksums: r.bool("has_backup_checksums"), CopyOnly: r.bool("is_copy_only"),
			FirstLSN: r.int("first_lsn"), LastLSN: r.int("last_lsn"), SizeBytes: r.int("backup_size"),
			Device: r.str("physical_device_name"),
		}
		if d := in.db(b.Database); d != nil {
			switch b.Type {
			case "D":
				d.LastFull = b
			case "L":
				d.LastLog = b
			}
		}
	case "restore":
		e := &RestoreEvent{
			Database: r.str("destination_database_name"), Date: r.time("restore_date"), Type: r.str("restore_type"),
			Replace: r.bool("replace"), Recovery: r.bool("recovery"), BackupEnd: r.time("backup_finish_date"),
			LastLSN: r.int("last_lsn"), Device: r.str("physical_device_name"),
		}
		if d := in.db(e.Database); d != nil {
			d.LastRestore = e
		}
	case "ls_primary":
		in.LSPrimary = append(in.LSPrimary, LSPrimary{
			Database: r.str("primary_database"), LastBackupFile: r.str("last_backup_file"), LastBackup: r.time("last_backup_date"),
			ThresholdMin: int(r.int("backup_threshold")), AlertEnabled: r.bool("threshold_alert_enabled"),
		})
	case "ls_primary_secondary":
		in.LSSecondaries = append(in.LSSecondaries, LSPrimarySecondary{Server: r.str("secondary_server"), Database: r.str("secondary_database")})
	case "ls_secondary":
		in.LSSecondary = append(in.LSSecondary, LSSecondary{
			Database: r.str("secondary_database"), PrimaryServer: r.str("primary_server"), PrimaryDatabase: r.str("primary_database"),
			LastCopiedFile: r.str("last_copied_file"), LastCopied: r.time("last_copied_date"),
			LastRestoredFile: r.str("last_restored_file"), LastRestored: r.time("last_restored_date"),
			LatencyMin: int(r.int("last_restored_latency")), ThresholdMin: int(r.int("restore_threshold")),
		})
	case "jobs":
		j := Job{
			Name: r.str("name"), Enabled: r.bool("enabled"), Category: r.str("category"),
			Running: strings.EqualFold(r.str("run_state"), "Running"), NextRun: r.time("next_scheduled_run_date"),
			LastMessage: r.str("message"),
		}
		if v, _ := r.value("run_status"); v != nil {
			j.LastOutcome = outcome(r.int("run_status"))
			j.LastRun = r.agentTime("run_date", "run_time")
		}
		in.Jobs = append(in.Jobs, j)
	case "usage":
		if d := in.db(r.str("db")); d != nil {
			d.LastUserWrite, d.UserUpdates = r.time("last_user_update"), r.int("user_updates")
		}
	case "uptime":
		in.StartTime = r.time("sqlserver_start_time")
	case "services":
		in.Services = append(in.Services, Service{
			Name: r.str("servicename"), StartupType: r.str("startup_type_desc"), Status: r.str("status_desc"), Account: r.str("service_account"),
		})
	case "requests":
		in.Requests = append(in.Requests, Request{
			Session: r.int("session_id"), Command: r.str("command"), Database: r.str("db"), Percent: r.float("percent_complete"), Start: r.time("start_time"),
		})
	case "share", "file":
		fc := FileCheck{Path: r.str("path"), Checked: true, Exists: r.bool("file_exists"), IsDir: r.bool("file_is_dir"), ParentExists: r.bool("parent_dir_exists")}
		if r.tag == "share" {
			in.Share = fc
		} else {
			in.Files[strings.ToLower(fc.Path)] = fc
		}
	}
}

// File returns what the instance saw of a watched file.
func (in *Instance) File(path string) FileCheck {
	return in.Files[strings.ToLower(path)]
}

// outcome names sysjobhistory.run_status values (procedure.md §3.5).
func outcome(status int64) string {
	switch status {
	case 0:
		return "Failed"
	case 1:
		return "Succeeded"
	case 2:
		return "Retry"
	case 3:
		return "Canceled"
	case 4:
		return "In progress"
	}
	return "Unknown"
}
