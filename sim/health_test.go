package sim

import (
	"strings"
	"testing"
)

// The console's health batch answers on every instance of the start estate.
func TestHealthBatchStartState(t *testing.T) {
	s, _ := newTestSim(t, "")
	type want struct {
		dbs      string // name state user_access, joined with |
		sessions int    // rows of the sessions probe
		backup   string // prefix of the newest full backup's device, "" for none
	}
	wants := map[string]want{
		"SQLPRIMARY":     {"mgc ONLINE MULTI_USER|mgccomp ONLINE MULTI_USER", 0, ""},
		"SQLPRIMARY-MIR": {"", 0, ""},
		"SQLBACKUP":      {"mgc ONLINE MULTI_USER|mgccomp ONLINE MULTI_USER", 4, `\\fs01.contoso.local\csmirror\mgc_`},
		"SQLBACKUP-MIR":  {"mgc RESTORING MULTI_USER|mgccomp RESTORING MULTI_USER", 0, `\\fs01.contoso.local\csmirror\mgc_`},
	}
	for server, w := range wants {
		res := mustRun(t, connect(t, s, server, "master"), healthBatch)
		if len(res.sets) != 5 {
			t.Fatalf("%s: %d result sets", server, len(res.sets))
		}
		if srv := res.sets[0]; srv.get(0, "server_name") != server || srv.get(0, "product_version") != DefaultVersion {
			t.Errorf("%s server: %v", server, srv.rows)
		}
		var dbs []string
		for i := range res.sets[1].rows {
			set := res.sets[1]
			dbs = append(dbs, set.get(i, "name").(string)+" "+set.get(i, "state_desc").(string)+" "+set.get(i, "user_access_desc").(string))
		}
		if strings.Join(dbs, "|") != w.dbs {
			t.Errorf("%s databases: %q", server, dbs)
		}
		if got := len(res.sets[2].rows); got != w.sessions {
			t.Errorf("%s sessions: %v", server, res.sets[2].rows)
		}
		backup := res.sets[3]
		switch {
		case w.backup == "" && len(backup.rows) != 0:
			t.Errorf("%s backup: %v", server, backup.rows)
		case w.backup != "" && (len(backup.rows) != 1 || !strings.HasPrefix(backup.get(0, "physical_device_name").(string), w.backup)):
			t.Errorf("%s backup: %v", server, backup.rows)
		}
		if share := res.sets[4]; share.get(0, "file_is_dir") != int64(1) || share.get(0, "parent_dir_exists") != int64(1) {
			t.Errorf("%s share: %v", server, share.rows)
		}
	}
}
