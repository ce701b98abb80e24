package probes_test

import (
	"reflect"
	"strings"
	"testing"

	"pcfailback/probes"
)

const pool = "pchat.contoso.local"

func TestParsePoolFromSimulator(t *testing.T) {
	s, _ := newSim(t, "")
	p, err := probes.ParsePool(poolLines(t, s), pool)
	if err != nil {
		t.Fatalf("ParsePool: %v", err)
	}
	if p.Identity != "service:"+pool || p.State != "FailedOver" || p.FQDN != pool {
		t.Errorf("state: %+v", p)
	}
	if !reflect.DeepEqual(p.Active, []string{"pc03.contoso.local", "pc04.contoso.local"}) ||
		!reflect.DeepEqual(p.Inactive, []string{"pc01.contoso.local", "pc02.contoso.local"}) {
		t.Errorf("servers: active %v inactive %v", p.Active, p.Inactive)
	}
	if p.ShareFree <= 0 {
		t.Errorf("share free %d", p.ShareFree)
	}
}

func TestParsePool(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		want  probes.Pool
		err   string
	}{
		{
			name: "other pools are ignored",
			lines: []string{
				"state\tservice:other.contoso.local\tNormal",
				"state\tservice:pchat.contoso.local\tNormal",
				"service\tPersistentChatServer:other.contoso.local\tother.contoso.local\tx1\tx2",
				"service\tPersistentChatServer:pchat.contoso.local\tpchat.contoso.local\tpc01.contoso.local, pc02.contoso.local\t",
				"space\t1024",
			},
			want: probes.Pool{FQDN: pool, Identity: "service:pchat.contoso.local", State: "Normal",
				Active: []string{"pc01.contoso.local", "pc02.contoso.local"}, ShareFree: 1024},
		},
		{
			name: "the article's identity with a space, CRLF line ends, a service matched by its pool FQDN",
			lines: []string{
				"state\tservice: PCHAT.contoso.local\tFailedOver\r",
				"service\tsomething-else\tpchat.contoso.local\t\tpc01\r",
				"",
			},
			want: probes.Pool{FQDN: pool, Identity: "service: PCHAT.contoso.local", State: "FailedOver", Inactive: []string{"pc01"}, ShareFree: -1},
		},
		{
			name: "free space that is not a number stays unknown",
			lines: []string{
				"state\tPersistentChatServer:pchat.contoso.local\tNormal",
				"service\tPersistentChatServer:pchat.contoso.local\tpchat.contoso.local\t\t",
				"space\t",
				"space\t-5",
				"space\tlots\textra",
				"unrelated output",
			},
			want: probes.Pool{FQDN: pool, Identity: "PersistentChatServer:pchat.contoso.local", State: "Normal", ShareFree: -1},
		},
		{name: "no pool", lines: nil, err: "Get-CsPersistentChatState returned no pool pchat.contoso.local"},
		{
			name:  "only another pool",
			lines: []string{"state\tservice:other.contoso.local\tNormal", "service\tx:other.contoso.local\tother.contoso.local\t\t"},
			err:   "returned no pool",
		},
		{
			name:  "state without its service",
			lines: []string{"state\tservice:pchat.contoso.local\tNormal"},
			err:   "Get-CsService -PersistentChatServer returned no pool",
		},
		{
			name:  "malformed state line",
			lines: []string{"state\tservice:pchat.contoso.local"},
			err:   "line 1: want 3 tab-separated fields, got 2",
		},
		{
			name:  "malformed service line",
			lines: []string{"state\tservice:pchat.contoso.local\tNormal", "service\ta\tb\tc"},
			err:   "line 2: want 5 tab-separated fields, got 4",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := probes.ParsePool(c.lines, pool)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParsePool: %v", err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}
