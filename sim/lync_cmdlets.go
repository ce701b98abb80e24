package sim

import (
	"path"
	"strings"
	"time"

	"pcfailback/pwsh"
)

// Cmdlet texts marked "(unverified)" are modelled on Lync Server 2013's style; no stored source gives their
// exact wording.

func init() {
	defineCmdlet(&cmdlet{name: "Import-Module", class: "Microsoft.PowerShell.Commands.ImportModuleCommand",
		params: []psParam{pos("Name", 0), sw("Force"), sw("Global"), named("Prefix"), sw("PassThru"), sw("DisableNameChecking")},
		run:    runImportModule})
	defineCmdlet(&cmdlet{name: "Get-CsPersistentChatState",
		params: []psParam{pos("Identity", 0), named("Filter"), sw("LocalStore")}, run: runGetPChatState})
	defineCmdlet(&cmdlet{name: "Set-CsPersistentChatState", write: true,
		params: []psParam{pos("Identity", 0), named("PoolState"), named("Instance"), sw("Force")}, run: runSetPChatState})
	defineCmdlet(&cmdlet{name: "Get-CsService",
		params: []psParam{pos("Identity", 0), named("Filter"), named("PoolFqdn"), sw("PersistentChatServer"),
			sw("Registrar"), sw("UserServer"), sw("WebServer"), sw("FileStore"), sw("LocalStore")}, run: runGetService})
	defineCmdlet(&cmdlet{name: "Set-CsPersistentChatActiveServer", write: true,
		params: []psParam{pos("Identity", 0), named("ActiveServers"), sw("Swap"), sw("Force")}, run: runSetActiveServers})
	defineCmdlet(&cmdlet{name: "Get-CsPool", params: []psParam{pos("Identity", 0), named("Filter"), sw("LocalStore")}, run: runGetPool})
	defineCmdlet(&cmdlet{name: "New-Object", class: "Microsoft.PowerShell.Commands.NewObjectCommand",
		params: []psParam{pos("TypeName", 0), named("ComObject"), named("ArgumentList"), named("Property"), sw("Strict")},
		run:    runNewObject})
	defineCmdlet(&cmdlet{name: "Test-Path", class: "Microsoft.PowerShell.Commands.TestPathCommand",
		params: []psParam{pos("Path", 0), named("LiteralPath"), named("PathType"), sw("IsValid")}, run: runTestPath})
}

// lyncModules are the module names Import-Module accepts on the Lync server.
var lyncModules = []string{"lync", "skypeforbusiness"}

func runImportModule(c *cmdletCall) ([]pwsh.Value, error) {
	if err := c.require("Name"); err != nil {
		return nil, err
	}
	for _, v := range flatten(c.b.get("Name")) {
		name := psText(v)
		base := strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(path.Base(strings.ReplaceAll(name, `\`, "/")), ".psd1"), ".psm1"))
		known := false
		for _, m := range lyncModules {
			known = known || base == m
		}
		if !known {
			return nil, &pwsh.CmdletError{Cmdlet: "Import-Module", Category: "ResourceUnavailable",
				ErrorID: "Modules_ModuleNotFound,Microsoft.PowerShell.Commands.ImportModuleCommand",
				Message: "The specified module '" + name + "' was not loaded because no valid module file was found in any module directory."}
		}
	}
	return nil, nil
}

// flatten turns a value into a list (arrays as their elements, $null as nothing).
func flatten(v pwsh.Value) []pwsh.Value {
	switch x := v.(type) {
	case nil:
		return nil
	case []pwsh.Value:
		var out []pwsh.Value
		for _, e := range x {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []pwsh.Value{v}
}

// stateObject is what Get-CsPersistentChatState returns.
func (s *Sim) stateObject() *pwsh.Object {
	return &pwsh.Object{TypeName: "Microsoft.Rtc.Management.WritableConfig.Settings.PersistentChat.PersistentChatState",
		Props: []pwsh.Prop{{Name: "Identity", Value: s.lync.identity}, {Name: "PoolState", Value: s.lync.poolState}}}
}

// wildcard matches PowerShell -like patterns (* and ?), case-insensitively.
func wildcard(pattern, s string) bool {
	ok, err := path.Match(strings.ToLower(strings.ReplaceAll(pattern, "[", "\\[")), strings.ToLower(s))
	return err == nil && ok
}

func runGetPChatState(c *cmdletCall) ([]pwsh.Value, error) {
	s := c.s
	s.lock()
	defer s.unlock()
	if c.b.has("Identity") {
		id := c.b.text("Identity")
		if !s.matchIdentity(id, false) {
			// (unverified) text
			return nil, c.fail("ObjectNotFound", "ObjectNotFound", "Cannot get \"PersistentChatState\" \"%s\" because it does not exist.", id)
		}
	}
	if c.b.has("Filter") && !wildcard(c.b.text("Filter"), s.lync.identity) {
		return nil, nil
	}
	return []pwsh.Value{s.stateObject()}, nil
}

func runSetPChatState(c *cmdletCall) ([]pwsh.Value, error) {
	if err := c.require("PoolState"); err != nil {
		return nil, err
	}
	id, ok := c.identityArg()
	if !ok && !c.b.has("Instance") {
		return nil, c.require("Identity")
	}
	want := ""
	for _, st := range []string{poolNormal, poolFailedOver} {
		if strings.EqualFold(c.b.text("PoolState"), st) {
			want = st
		}
	}
	if want == "" {
		return nil, c.fail("InvalidArgument", "ParameterArgumentTransformationError", "Cannot bind parameter 'PoolState'. "+
			"Cannot convert value \"%s\" to type \"Microsoft.Rtc.Management.WritableConfig.Settings.PersistentChat.PoolState\". "+
			"Error: \"Unable to match the identifier name %s to a valid enumerator name. Specify one of the following "+
			"enumerator names and try again: Normal, FailedOver\"", c.b.text("PoolState"), c.b.text("PoolState"))
	}
	s := c.s
	s.lock()
	defer s.unlock()
	if ok && !s.matchIdentity(id, false) {
		// (unverified) text
		return nil, c.fail("ObjectNotFound", "ObjectNotFound", "Cannot find \"PersistentChatState\" with identity \"%s\".", id)
	}
	s.lync.poolState = want
	s.nudge()
	return nil, nil
}

// serviceObject is what Get-CsService -PersistentChatServer returns for the pool (the active and inactive
// server lists are the simulator's model of where Lync keeps them).
func (s *Sim) serviceObject() *pwsh.Object {
	active, inactive := []pwsh.Value{}, []pwsh.Value{}
	for _, fqdn := range s.poolServers() {
		if s.lync.active[strings.ToLower(fqdn)] {
			active = append(active, fqdn)
		} else {
			inactive = append(inactive, fqdn)
		}
	}
	primary := s.instanceByRole(rolePrimary).spec.FQDN
	backup := s.instanceByRole(roleBackup).spec.FQDN
	return &pwsh.Object{TypeName: "Microsoft.Rtc.Management.Xds.DisplayPersistentChatServer", Props: []pwsh.Prop{
		{Name: "Identity", Value: "PersistentChatServer:" + s.topo.PoolFQDN},
		{Name: "PersistentChatDatabase", Value: "PersistentChatStore:" + primary},
		{Name: "PersistentChatBackupDatabase", Value: "PersistentChatStore:" + backup},
		{Name: "PersistentChatComplianceDatabase", Value: "PersistentChatComplianceStore:" + primary},
		{Name: "Registrar", Value: "Registrar:" + s.topo.LyncHost},
		{Name: "FileStore", Value: "FileStore:fs01." + domainSuffix(s.topo.PoolFQDN)},
		{Name: "ActiveServers", Value: active},
		{Name: "InactiveServers", Value: inactive},
		{Name: "DependentServiceList", Value: []pwsh.Value{}},
		{Name: "ServiceId", Value: "1-PersistentChatServer-1"},
		{Name: "SiteId", Value: s.lync.siteID},
		{Name: "PoolFqdn", Value: s.topo.PoolFQDN},
		{Name: "Version", Value: int64(6)},
		{Name: "Role", Value: "PersistentChatServer"},
	}}
}

// domainSuffix is the DNS domain of an FQDN.
func domainSuffix(fqdn string) string {
	if _, rest, ok := strings.Cut(fqdn, "."); ok {
		return rest
	}
	return fqdn
}

func runGetService(c *cmdletCall) ([]pwsh.Value, error) {
	s := c.s
	s.lock()
	defer s.unlock()
	for _, other := range []string{"Registrar", "UserServer", "WebServer", "FileStore"} {
		if c.b.flag(other) {
			return nil, nil
		}
	}
	if c.b.has("PoolFqdn") && !strings.EqualFold(c.b.text("PoolFqdn"), s.topo.PoolFQDN) {
		return nil, nil
	}
	obj := s.serviceObject()
	if c.b.has("Identity") && !s.matchIdentity(c.b.text("Identity"), false) {
		return nil, c.fail("ObjectNotFound", "ObjectNotFound", "Cannot find \"Service\" \"%s\" because it does not exist.", c.b.text("Identity"))
	}
	if c.b.has("Filter") && !wildcard(c.b.text("Filter"), "PersistentChatServer:"+s.topo.PoolFQDN) {
		return nil, nil
	}
	return []pwsh.Value{obj}, nil
}

func runGetPool(c *cmdletCall) ([]pwsh.Value, error) {
	s := c.s
	s.lock()
	defer s.unlock()
	if c.b.has("Identity") && !strings.EqualFold(c.b.text("Identity"), s.topo.PoolFQDN) {
		return nil, c.fail("ObjectNotFound", "ObjectNotFound", "Cannot find \"Pool\" \"%s\" because it does not exist.", c.b.text("Identity"))
	}
	var computers []pwsh.Value
	for _, x := range s.poolServers() {
		computers = append(computers, x)
	}
	return []pwsh.Value{&pwsh.Object{TypeName: "Microsoft.Rtc.Management.Xds.DisplayPool", Props: []pwsh.Prop{
		{Name: "Identity", Value: s.topo.PoolFQDN},
		{Name: "Services", Value: []pwsh.Value{"PersistentChatServer:" + s.topo.PoolFQDN}},
		{Name: "Computers", Value: computers},
		{Name: "Fqdn", Value: s.topo.PoolFQDN},
		{Name: "Site", Value: s.lync.siteID},
	}}}, nil
}

func runSetActiveServers(c *cmdletCall) ([]pwsh.Value, error) {
	id, ok := c.identityArg()
	if !ok {
		return nil, c.require("Identity")
	}
	if !c.b.has("ActiveServers") && !c.b.flag("Swap") {
		return nil, c.require("ActiveServers")
	}
	s := c.s
	s.lock()
	defer s.unlock()
	if !s.matchIdentity(id, true) {
		// (unverified) text
		return nil, c.fail("ObjectNotFound", "ObjectNotFound", "Cannot find Persistent Chat Server collection \"%s\". Use Get-CsService -PersistentChatServer to find its identity.", id)
	}
	next := map[string]bool{}
	for k, v := range s.lync.active {
		next[k] = v
	}
	if c.b.flag("Swap") {
		for _, fqdn := range s.poolServers() {
			next[strings.ToLower(fqdn)] = !s.lync.active[strings.ToLower(fqdn)]
		}
	} else if err := c.applyListModifier(next); err != nil {
		return nil, err
	}
	n := 0
	for _, v := range next {
		if v {
			n++
		}
	}
	if n > maxActiveServers {
		// (unverified) text
		return nil, c.fail("InvalidOperation", "TooManyActiveServers", "Cannot set %d active servers: a Persistent Chat pool supports at most %d active servers.", n, maxActiveServers)
	}
	s.setActive(next)
	return nil, nil
}

// applyListModifier applies -ActiveServers: $null clears the list, @{Add=..}/@{Remove=..}/@{Replace=..} edit it
// (PSListModifier), a plain value or array replaces it.
func (c *cmdletCall) applyListModifier(next map[string]bool) error {
	s := c.s
	canon := func(vals pwsh.Value) ([]string, error) {
		var out []string
		for _, v := range flatten(vals) {
			fqdn, ok := s.inPool(psText(v))
			if !ok {
				// (unverified) text
				return nil, c.fail("InvalidArgument", "ServerNotInPool", "The server \"%s\" is not a Persistent Chat Server in the pool \"%s\".", psText(v), s.topo.PoolFQDN)
			}
			out = append(out, strings.ToLower(fqdn))
		}
		return out, nil
	}
	v := c.b.get("ActiveServers")
	ht, isTable := v.(*pwsh.Hashtable)
	if v == nil {
		for k := range next {
			next[k] = false
		}
		return nil
	}
	if !isTable {
		ht = &pwsh.Hashtable{Keys: []string{"Replace"}, Values: []pwsh.Value{v}}
	}
	for i, key := range ht.Keys {
		list, err := canon(ht.Values[i])
		if err != nil {
			return err
		}
		switch strings.ToLower(key) {
		case "add":
			for _, f := range list {
				next[f] = true
			}
		case "remove":
			for _, f := range list {
				next[f] = false
			}
		case "replace":
			for k := range next {
				next[k] = false
			}
			for _, f := range list {
				next[f] = true
			}
		default:
			return c.fail("InvalidArgument", "ParameterArgumentTransformationError", "Cannot bind parameter 'ActiveServers'. "+
				"Cannot convert the \"System.Collections.Hashtable\" value of type \"System.Collections.Hashtable\" to type "+
				"\"Microsoft.Rtc.Management.WritableConfig.PSListModifier`1[Microsoft.Rtc.Management.Deploy.Fqdn]\".")
		}
	}
	return nil
}

// setActive installs a new active server list: servers leaving it drain, servers joining it connect at their
// next poll (callers hold the lock).
func (s *Sim) setActive(next map[string]bool) {
	for _, pc := range s.pcs {
		key := strings.ToLower(pc.fqdn)
		was, now := s.lync.active[key], next[key]
		switch {
		case was && !now && len(pc.sessions) > 0:
			pc.drainAt = s.now.Add(s.opts.DrainAfter)
		case now:
			pc.drainAt = time.Time{}
		}
	}
	s.lync.active = next
	s.nudge()
}
