package probes_test

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"pcfailback/probes"
	"pcfailback/tsql"
)

// The fuzz targets feed ParseHealth result sets decoded from text: sets separated by "\x1e", rows by "\n",
// cells by "|"; the first row of a set is its columns. A cell is "~" (NULL), "i:<int>", "f:<float>",
// "b:<0|1>", "t:<unix seconds>", "x:<hex>" or text.

func decodeSets(spec string) []probes.ResultSet {
	var sets []probes.ResultSet
	for _, block := range strings.Split(spec, "\x1e") {
		lines := strings.Split(block, "\n")
		s := probes.ResultSet{Columns: strings.Split(lines[0], "|")}
		for _, l := range lines[1:] {
			var row []any
			for _, cell := range strings.Split(l, "|") {
				row = append(row, decodeCell(cell))
			}
			s.Rows = append(s.Rows, row)
		}
		sets = append(sets, s)
	}
	return sets
}

func decodeCell(c string) any {
	if c == "~" {
		return nil
	}
	kind, v, ok := strings.Cut(c, ":")
	if !ok {
		return c
	}
	switch kind {
	case "i":
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	case "f":
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return f
		}
	case "b":
		return v == "1"
	case "t":
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return time.Unix(n, 0).UTC()
		}
	case "x":
		if b, err := hex.DecodeString(v); err == nil {
			return b
		}
	}
	return c
}

func encodeSets(sets []probes.ResultSet) string {
	var blocks []string
	for _, s := range sets {
		lines := []string{strings.Join(s.Columns, "|")}
		for _, r := range s.Rows {
			var cells []string
			for _, v := range r {
				cells = append(cells, encodeCell(v))
			}
			lines = append(lines, strings.Join(cells, "|"))
		}
		blocks = append(blocks, strings.Join(lines, "\n"))
	}
	return strings.Join(blocks, "\x1e")
}

func encodeCell(v any) string {
	switch x := v.(type) {
	case nil:
		return "~"
	case int64:
		return "i:" + strconv.FormatInt(x, 10)
	case float64:
		return "f:" + strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		if x {
			return "b:1"
		}
		return "b:0"
	case time.Time:
		return "t:" + strconv.FormatInt(x.Unix(), 10)
	case []byte:
		return "x:" + hex.EncodeToString(x)
	}
	return fmt.Sprint(v)
}

func FuzzParseHealth(f *testing.F) {
	s, _ := newSim(f, "")
	for _, server := range []string{"SQLBACKUP", "SQLPRIMARY", "SQLBACKUP-MIR"} {
		f.Add(encodeSets(healthSets(f, s, server, `\\fs01.contoso.local\csmirror\mgc_20240310094000.bak`)))
	}
	f.Add("probe|name|run_status|run_date|run_time|enabled|category|message|run_state|start_execution_date|stop_execution_date|next_scheduled_run_date\n" +
		"jobs|LSBackup_mgc|i:1|i:20240230|i:-1|b:1|Log Shipping|ok|Idle|~|~|~")
	f.Add("probe|db|mirroring_guid\nmirroring|mgc|x:0102\nmirroring|MGC|x:00112233445566778899aabbccddeeff")
	f.Add("probe\n\x1eprobe|name\ndatabases|mgc|extra|cells\ndatabases")
	f.Add("probe|percent_complete|session_id\nrequests|f:NaN|f:1e300\nrequests|i:5|1.5")
	f.Add("probe|db|last_user_update|user_updates\nusage|MGC|i:5|x:00\nusage|mgccomp|~|f:1e300\nusage|nodb|t:1|i:1\x1eprobe|sqlserver_start_time\nuptime|~\nuptime|t:-99999999999")
	f.Fuzz(func(t *testing.T, spec string) {
		in := &probes.Instance{}
		_ = probes.ParseHealth(in, defaultNames, decodeSets(spec))
		if len(in.Databases) != 2 || in.Databases["mgc"] == nil || in.Databases["mgccomp"] == nil || in.Files == nil {
			t.Fatalf("databases %v files %v", in.Databases, in.Files)
		}
		for _, d := range in.Databases {
			if d.LastFull != nil && d.LastFull.Type != "D" || d.LastLog != nil && d.LastLog.Type != "L" {
				t.Fatalf("backup kinds crossed: %+v %+v", d.LastFull, d.LastLog)
			}
		}
		for _, j := range in.Jobs {
			if !j.LastRun.IsZero() && j.LastRun.Location() != time.UTC {
				t.Fatalf("job time not in UTC: %v", j.LastRun)
			}
		}
	})
}

func FuzzParsePool(f *testing.F) {
	s, _ := newSim(f, "")
	f.Add(strings.Join(poolLines(f, s), "\n"), pool)
	f.Add("state\tservice: PCHAT.contoso.local\tFailedOver\r\nservice\tx\tpchat.contoso.local\t,,a, b\t\nspace\t12", pool)
	f.Add("state\t:\tNormal\nservice\t:\t\t\t\nspace\t-1", "")
	f.Add("state\tservice:pchat\tNormal\nstate\tservice:pchat\tFailedOver\nservice\tservice:pchat\tpchat\ta\tb\nspace\t99999999999999999999", "pchat")
	f.Add("state\nservice\t\t\t\t\nspace", pool)
	f.Fuzz(func(t *testing.T, text, poolFQDN string) {
		p, err := probes.ParsePool(strings.Split(text, "\n"), poolFQDN)
		if p.ShareFree < -1 {
			t.Fatalf("share free %d", p.ShareFree)
		}
		if err != nil {
			return
		}
		if p.FQDN != poolFQDN || !strings.Contains(text, "state\t"+p.Identity+"\t"+p.State) {
			t.Fatalf("pool %+v not read from a state line of %q", p, text)
		}
		for _, s := range append(append([]string{}, p.Active...), p.Inactive...) {
			if s == "" || s != strings.TrimSpace(s) || strings.Contains(s, ",") {
				t.Fatalf("server list entry %q", s)
			}
		}
	})
}

// FuzzHealthBatchNames checks the quoting of the probe batch: whatever the database names, the share and the
// watched paths, the batch parses into the same statements.
func FuzzHealthBatchNames(f *testing.F) {
	f.Add("mgc", "mgccomp", `\\fs01\pchatls`, `\\fs01\pchatls\mgc_failback_20240312_093000.bak`)
	f.Add("x]; DROP DATABASE [y", "o'brien''s ]] 채팅", `\\fs'01\share]`, "e\u0301'); --")
	f.Add("", "", "", "")
	ref, err := tsql.Parse(probes.HealthBatch(defaultNames, []string{"x"}))
	if err != nil {
		f.Fatalf("the health batch does not parse: %v", err)
	}
	want := len(ref.Statements)
	f.Fuzz(func(t *testing.T, chat, comp, share, watch string) {
		for _, s := range []string{chat, comp, share, watch} {
			if !utf8.ValidString(s) || strings.ContainsRune(s, 0) || utf8.RuneCountInString(s) > 128 {
				return // SQL Server names are at most 128 UTF-16 characters; the text travels as UTF-16
			}
		}
		batch := probes.HealthBatch(probes.Names{ChatDB: chat, ComplianceDB: comp, Share: share}, []string{watch})
		b, err := tsql.Parse(batch)
		if err != nil {
			t.Fatalf("batch does not parse: %v\n%s", err, batch)
		}
		if len(b.Statements) != want {
			t.Fatalf("%d statements, want %d", len(b.Statements), want)
		}
	})
}
