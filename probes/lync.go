package probes

import (
	"fmt"
	"strconv"
	"strings"

	"pcfailback/pwsh"
)

// PoolScript is the PowerShell the Lync probe runs. It prints tab-separated lines rather than objects: string
// interpolation turns the PoolState enum into its name, where ConvertTo-Json on PowerShell 3-5 would print a
// number, and Format-List would wrap long values at the remote console width. The free space on the
// log-shipping share comes last and is optional: a share the Lync host cannot see must not hide the pool state.
func PoolScript(share string) string {
	return "Import-Module Lync\n" +
		"Get-CsPersistentChatState | ForEach-Object { \"state`t$($_.Identity)`t$($_.PoolState)\" }\n" +
		"Get-CsService -PersistentChatServer | ForEach-Object { \"service`t$($_.Identity)`t$($_.PoolFqdn)`t$($_.ActiveServers -join ',')`t$($_.InactiveServers -join ',')\" }\n" +
		"\"space`t\" + (New-Object -ComObject Scripting.FileSystemObject).GetDrive(" + pwsh.Quote(share) + ").AvailableSpace\n"
}

// ParsePool reads PoolScript's output for the pool poolFQDN. Lines for other pools are ignored; a reply that
// never mentions the pool is an error, because the console must not guess the pool's state.
func ParsePool(lines []string, poolFQDN string) (Pool, error) {
	p := Pool{FQDN: poolFQDN, ShareFree: -1}
	var sawState, sawService bool
	for n, line := range lines {
		line = strings.TrimRight(line, "\r")
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		switch f[0] {
		case "state":
			if len(f) != 3 {
				return p, fmt.Errorf("Lync probe line %d: want 3 tab-separated fields, got %d", n+1, len(f))
			}
			if !identityNames(f[1], poolFQDN) {
				continue
			}
			p.Identity, p.State, sawState = f[1], f[2], true
		case "space":
			if len(f) == 2 {
				if n, err := strconv.ParseInt(strings.TrimSpace(f[1]), 10, 64); err == nil && n >= 0 {
					p.ShareFree = n
				}
			}
		case "service":
			if len(f) != 5 {
				return p, fmt.Errorf("Lync probe line %d: want 5 tab-separated fields, got %d", n+1, len(f))
			}
			if !identityNames(f[1], poolFQDN) && !strings.EqualFold(f[2], poolFQDN) {
				continue
			}
			p.Active, p.Inactive, sawService = splitList(f[3]), splitList(f[4]), true
		}
	}
	switch {
	case !sawState:
		return p, fmt.Errorf("Get-CsPersistentChatState returned no pool %s", poolFQDN)
	case !sawService:
		return p, fmt.Errorf("Get-CsService -PersistentChatServer returned no pool %s", poolFQDN)
	}
	return p, nil
}

// identityNames reports whether a service identity such as "service:pchat.contoso.local" or
// "PersistentChatServer:pchat.contoso.local" names the pool.
func identityNames(identity, poolFQDN string) bool {
	i := strings.LastIndexByte(identity, ':')
	return strings.EqualFold(strings.TrimSpace(identity[i+1:]), poolFQDN)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
