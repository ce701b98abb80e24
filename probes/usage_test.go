package probes_test

import (
	"testing"
	"time"

	"pcfailback/probes"
)

// The usage and uptime rows fill the database's last user write and the instance's start time.
func TestParseUsage(t *testing.T) {
	w := time.Date(2024, 3, 12, 9, 41, 3, 0, time.UTC)
	up := time.Date(2024, 2, 1, 6, 0, 0, 0, time.UTC)
	in := &probes.Instance{}
	err := probes.ParseHealth(in, defaultNames, []probes.ResultSet{
		{Columns: []string{"probe", "db", "last_user_update", "user_updates"}, Rows: [][]any{{"usage", "MGC", w, int64(12)}}},
		{Columns: []string{"probe", "sqlserver_start_time"}, Rows: [][]any{{"uptime", up}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := in.Databases["mgc"]; !d.LastUserWrite.Equal(w) || d.UserUpdates != 12 {
		t.Errorf("mgc: %v %d", d.LastUserWrite, d.UserUpdates)
	}
	if !in.Databases["mgccomp"].LastUserWrite.IsZero() || !in.StartTime.Equal(up) {
		t.Errorf("mgccomp %v, start %v", in.Databases["mgccomp"].LastUserWrite, in.StartTime)
	}
}
