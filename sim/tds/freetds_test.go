package tds

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// freeTDS runs FreeTDS's tsql against the fixture's server with a freetds.conf naming it, feeds it script (batches
// separated by "go" lines) and returns what it printed. scripts/test installs FreeTDS; a machine without it
// skips the test, except in CI where that would hide a missing install step.
func freeTDS(t *testing.T, f *fixture, encryption, script string) string {
	t.Helper()
	bin, err := exec.LookPath("tsql")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("FreeTDS's tsql is not installed (scripts/test installs freetds-bin)")
		}
		t.Skip("FreeTDS's tsql is not installed; scripts/test installs freetds-bin")
	}
	dir := t.TempDir()
	conf := fmt.Sprintf("[global]\n\ttds version = 7.4\n\tclient charset = UTF-8\n[sim]\n\thost = 127.0.0.1\n\tport = %d\n\tencryption = %s\n",
		f.addr.Port, encryption)
	if f.caFile != "" {
		conf += "\tca file = " + f.caFile + "\n"
	}
	if err := os.WriteFile(filepath.Join(dir, "freetds.conf"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-S", "sim", "-U", testUser, "-P", testPassword, "-o", "q")
	cmd.Env = append(os.Environ(), "FREETDSCONF="+filepath.Join(dir, "freetds.conf"), "TDSDUMP=", "HOME="+dir)
	cmd.Stdin = strings.NewReader(script + "\nexit\n")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("tsql: %v\n%s", err, out.String())
	}
	return out.String()
}

// freeTDSCell says whether FreeTDS's text for a cell shows the value the in-process runner returned.
func freeTDSCell(got string, want any) bool {
	switch w := want.(type) {
	case nil:
		return got == "NULL"
	case bool:
		return got == map[bool]string{true: "1", false: "0"}[w]
	case float64:
		f, err := strconv.ParseFloat(got, 64)
		return err == nil && math.Abs(f-w) <= 1e-9*math.Max(1, math.Abs(w))
	case string:
		if at, err := time.Parse(time.RFC3339Nano, w); err == nil {
			// FreeTDS prints datetime to the minute: "Mar 10 2024 09:43AM".
			for _, layout := range []string{"Jan _2 2006 03:04PM", "Jan 2 2006 03:04PM", "Jan 02 2006 03:04PM"} {
				if ft, err := time.Parse(layout, got); err == nil {
					return ft.Equal(at.Truncate(time.Minute))
				}
			}
		}
		return got == w
	}
	return got == fmt.Sprint(want)
}

func TestFreeTDSRunsTheHealthQueries(t *testing.T) {
	for _, mode := range []struct {
		name, encryption string
		tls              bool
		want             string
	}{
		{"plain", "off", false, "none"},
		{"login only", "request", true, "login"},
		{"encrypted", "require", true, "full"},
	} {
		t.Run(mode.name, func(t *testing.T) {
			events := make(chan ConnEvent, 4)
			f := start(t, options{tls: mode.tls, conns: events})
			var script strings.Builder
			var expected []table
			for _, q := range section3 {
				script.WriteString(q + "\ngo\n")
				local, _ := inProcess(t, f.sim, f.server, q)
				expected = append(expected, local...)
			}
			out := freeTDS(t, f, mode.encryption, script.String())
			lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
			for _, tb := range expected {
				if len(lines) == 0 || lines[0] != strings.Join(tb.cols, "\t") {
					t.Fatalf("FreeTDS: want the header %q, output left:\n%s", strings.Join(tb.cols, "\t"), strings.Join(lines, "\n"))
				}
				lines = lines[1:]
				for r, row := range tb.rows {
					if len(lines) == 0 {
						t.Fatalf("FreeTDS: rows missing for %v", tb.cols)
					}
					cells := strings.Split(lines[0], "\t")
					lines = lines[1:]
					if len(cells) != len(row) {
						t.Fatalf("FreeTDS row %d of %v: %q", r, tb.cols, cells)
					}
					for c := range row {
						if !freeTDSCell(cells[c], row[c]) {
							t.Fatalf("FreeTDS row %d column %s: %q, in-process %v", r, tb.cols[c], cells[c], row[c])
						}
					}
				}
			}
			if len(lines) > 0 {
				t.Fatalf("FreeTDS printed more:\n%s", strings.Join(lines, "\n"))
			}
			if ev := <-events; ev.Err != nil || ev.Encryption != mode.want || ev.User != testUser {
				t.Fatalf("connection %+v", ev)
			}
		})
	}
}
