package sim

// WireSessionInfo is one user session of an instance as its network server created it: what LOGIN7 said
// about the client, including what no system view shows (the read-only intent).
type WireSessionInfo struct {
	SPID            int
	Login           string
	App             string
	Workstation     string
	Database        string // current database
	ReadOnlyIntent  bool
	ClientInterface string
	ClientPID       int
	Running         bool // a batch is running
}

// UserSessions lists the user sessions (opened by a client, in-process or over the wire) of the instance named
// server, by spid; nil when there is no such instance.
func (s *Sim) UserSessions(server string) []WireSessionInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.instance(server)
	if in == nil {
		return nil
	}
	var out []WireSessionInfo
	for _, x := range in.sessions {
		if x.kind != kindUser {
			continue
		}
		out = append(out, WireSessionInfo{SPID: x.spid, Login: x.login, App: x.app, Workstation: x.host,
			Database: x.db, ReadOnlyIntent: x.readIntent, ClientInterface: x.clientIface, ClientPID: x.hostPID,
			Running: x.running})
	}
	return out
}
