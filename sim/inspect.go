package sim

import (
	"sort"
	"strings"
)

// DatabaseInfo is a database as an observer outside SQL sees it: training mode scores and tests use it to check
// what actually happened (for instance, that chat messages written after the failback backup were lost).
type DatabaseInfo struct {
	Server, Name            string
	State, Access, Recovery string
	ReadOnly                bool
	MirroringRole           string // "", "PRINCIPAL" or "MIRROR"
	MirroringState          string
	MirroringPartner        string // partner server name
	LSN                     int64  // end of log
	Messages                int64  // chat messages the database holds
	Sessions                int    // sessions whose current database it is
}

// Database describes a database of an instance (server name or FQDN).
func (s *Sim) Database(server, name string) (DatabaseInfo, bool) {
	s.lock()
	defer s.unlock()
	in := s.instance(server)
	if in == nil {
		return DatabaseInfo{}, false
	}
	d := in.db(name)
	if d == nil {
		return DatabaseInfo{}, false
	}
	info := DatabaseInfo{Server: in.spec.Server, Name: d.name, State: d.state.desc(), Access: d.access.desc(),
		Recovery: d.recovery.desc(), ReadOnly: d.readOnly, LSN: lsnOf(d.pos), Messages: d.content,
		Sessions: len(in.sessionsIn(d, nil))}
	if m := d.mirror; m != nil {
		info.MirroringRole = "PRINCIPAL"
		if m.role == roleMirror {
			info.MirroringRole = "MIRROR"
		}
		info.MirroringState = mirrorStateDesc(m.state)
		if m.partner != nil {
			info.MirroringPartner = m.partner.spec.Server
		}
	}
	return info, true
}

// PoolState returns the Persistent Chat pool's state ("Normal" or "FailedOver") and its active servers.
func (s *Sim) PoolState() (state string, active []string) {
	s.lock()
	defer s.unlock()
	for _, fqdn := range s.poolServers() {
		if s.lync.active[strings.ToLower(fqdn)] {
			active = append(active, fqdn)
		}
	}
	return s.lync.poolState, active
}

// Connections lists, per Persistent Chat server, the instance its sessions are on ("" when none) and how many
// sessions it holds.
func (s *Sim) Connections() map[string]string {
	s.lock()
	defer s.unlock()
	out := map[string]string{}
	for _, pc := range s.pcs {
		if pc.target != nil && len(pc.sessions) > 0 {
			out[pc.fqdn] = pc.target.spec.Server
		} else {
			out[pc.fqdn] = ""
		}
	}
	return out
}

// Files lists the files of a share or folder (UNC, or a local path of an instance given as server) with sizes.
func (s *Sim) Files(server, dir string) map[string]int64 {
	s.lock()
	defer s.unlock()
	machine := ""
	if in := s.instance(server); in != nil {
		machine = in.machine
	}
	f := s.fs.folderAt(machine, dir)
	if f == nil {
		return nil
	}
	out := map[string]int64{}
	names := make([]string, 0, len(f.files))
	for _, x := range f.files {
		names = append(names, x.name)
	}
	sort.Strings(names)
	for _, n := range names {
		out[n] = f.file(n).size
	}
	return out
}
