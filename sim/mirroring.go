package sim

import (
	"strconv"
	"strings"

	"pcfailback/tsql"
)

// alterMirroring runs the ALTER DATABASE ... SET PARTNER / WITNESS forms (callers hold the lock).
func (s *Sim) alterMirroring(ss *session, d *database, spec tsql.AlterDatabaseSpec) error {
	switch spec.Action {
	case tsql.AlterPartnerOff:
		if d.mirror == nil {
			if d.pendingPartner != "" {
				d.pendingPartner = ""
				return nil
			}
			return errNotMirrored(d.name)
		}
		s.removeMirroring(ss.inst, d)
		return nil
	case tsql.AlterPartnerAddress:
		return s.setPartner(ss.inst, d, spec.Address)
	}
	if d.mirror == nil {
		return errNotMirrored(d.name)
	}
	m := d.mirror
	md := m.partner.db(d.name)
	switch spec.Action {
	case tsql.AlterWitnessOff:
		m.witness = ""
		if md != nil && md.mirror != nil {
			md.mirror.witness = ""
		}
	case tsql.AlterPartnerSuspend:
		m.state = mirrorSuspended
		if md != nil && md.mirror != nil {
			md.mirror.state = mirrorSuspended
		}
	case tsql.AlterPartnerResume:
		m.state = mirrorSynchronizing
		if md != nil && md.mirror != nil {
			md.mirror.state = mirrorSynchronizing
		}
	case tsql.AlterPartnerFailover:
		if m.role != rolePrincipal {
			return sqlError(1470, 16, 1, "The alter database for this partner config values may only be initiated on the current principal server for database \"%s\".", d.name)
		}
		if m.safety != safetyFull {
			return sqlError(1477, 16, 1, "The database mirroring safety level must be FULL to manually failover database \"%s\". Set safety level to FULL and retry.", d.name)
		}
		if m.state != mirrorSynchronized || md == nil {
			return sqlError(1422, 16, 2, "The mirror server instance is not caught up to the recent changes to database \"%s\". Unable to fail over.", d.name)
		}
		s.failoverMirroring(ss.inst, d)
	}
	return nil
}

// removeMirroring ends a mirroring session on both partners: each keeps its copy, the former mirror stays
// RESTORING (it can be recovered or dropped).
func (s *Sim) removeMirroring(in *instance, d *database) {
	m := d.mirror
	d.mirror = nil
	if m.partner != nil {
		if md := m.partner.db(d.name); md != nil && md.mirror != nil {
			md.mirror = nil
			if md.state == stateRestoring {
				md.redoPos, md.restoreOK = md.pos, true
			}
		}
	}
	if d.state == stateRestoring {
		d.redoPos, d.restoreOK = d.pos, true
	}
	s.nudge()
}

// failoverMirroring swaps the roles: the mirror becomes the principal and comes online, the principal becomes
// the mirror and its sessions are disconnected.
func (s *Sim) failoverMirroring(in *instance, d *database) {
	m := d.mirror
	md := m.partner.db(d.name)
	for _, x := range in.sessionsIn(d, nil) {
		x.end()
	}
	m.role, md.mirror.role = roleMirror, rolePrincipal
	m.roleSeq++
	md.mirror.roleSeq = m.roleSeq
	d.state, md.state = stateRestoring, stateOnline
	md.pos, md.content, md.fork = d.pos, d.content, d.fork
	md.hasBase, md.logChainStart, md.lastFullPos = d.hasBase, d.logChainStart, d.lastFullPos
	md.recovery, md.access, md.readOnly = d.recovery, d.access, d.readOnly
	d.redoPos, d.restoreOK = d.pos, true
	m.failoverPos, md.mirror.failoverPos = d.pos, d.pos
	s.nudge()
}

// parseMirrorAddress splits TCP://host:port.
func parseMirrorAddress(addr string) (host string, port int, ok bool) {
	a := strings.TrimSpace(addr)
	if len(a) < 6 || !strings.EqualFold(a[:6], "tcp://") {
		return "", 0, false
	}
	host, portText, found := strings.Cut(a[6:], ":")
	if !found || host == "" {
		return "", 0, false
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port <= 0 || port > 65535 {
		return "", 0, false
	}
	return host, port, true
}

// setPartner is ALTER DATABASE ... SET PARTNER = 'TCP://...': on the mirror copy (RESTORING) it records the
// principal; on the principal it starts the session once the mirror has named it.
func (s *Sim) setPartner(in *instance, d *database, addr string) error {
	unreachable := sqlError(1418, 16, 1, "The server network address \"%s\" can not be reached or does not exist. "+
		"Check the network address name and that the ports for the local and remote endpoints are operational.", addr)
	host, port, ok := parseMirrorAddress(addr)
	if !ok {
		return sqlError(1449, 16, 1, "ALTER DATABASE command failed due to an invalid server connection string.")
	}
	partner := s.instance(host)
	if partner == nil || !in.endpoint.exists {
		return unreachable
	}
	if partner == in {
		return sqlError(1452, 16, 1, "The partner server instance name must be distinct from the server instance that manages the database. The ALTER DATABASE SET PARTNER command failed.")
	}
	if d.mirror != nil {
		return sqlError(1405, 16, 1, "The database \"%s\" is already enabled for database mirroring.", d.name)
	}
	if d.state == stateRestoring {
		// The mirror only records its principal; the connection is made when the principal sets its partner.
		d.pendingPartner = partner.mirrorAddress()
		return nil
	}
	if !partner.endpoint.exists || !partner.endpoint.reachable || partner.endpoint.port != port || !in.endpoint.reachable {
		return unreachable
	}
	return s.startMirroring(in, d, partner)
}

// startMirroring checks the mirror copy and starts a session with d as the principal.
func (s *Sim) startMirroring(in *instance, d *database, partner *instance) error {
	switch {
	case d.access == accessSingle:
		return sqlError(1488, 16, 1, "Database mirroring cannot be enabled because the \"%s\" database is in single user mode.", d.name)
	case d.recovery != recoveryFull:
		return sqlError(1465, 16, 1, "Database mirroring cannot be enabled because the \"%s\" database is not in full recovery mode on both partners.", d.name)
	case d.readOnly:
		return sqlError(1466, 16, 1, "Database mirroring cannot be enabled because the \"%s\" database is read-only on one of the partners.", d.name)
	}
	md := partner.db(d.name)
	switch {
	case md == nil:
		return sqlError(1448, 16, 1, "The remote copy of database \"%s\" does not exist. Check the database name and reissue the command.", d.name)
	case md.mirror != nil:
		return sqlError(1410, 16, 1, "The remote copy of database \"%s\" is already enabled for database mirroring.", d.name)
	case md.state != stateRestoring:
		return sqlError(1464, 16, 1, "Database mirroring cannot be enabled for the remote copy of database \"%s\" because the database is not in a recovering state. The remote database must be restored using WITH NORECOVERY.", d.name)
	case !strings.EqualFold(md.pendingPartner, in.mirrorAddress()):
		return errNotMirrored(d.name)
	case md.family != d.family:
		return sqlError(1407, 16, 1, "The remote copy of database \"%s\" is not related to the local copy of the database.", d.name)
	case !md.restoreOK || md.redoPos < d.logChainStart || md.redoPos > d.pos:
		return sqlError(1412, 16, 1, "The remote copy of database \"%s\" has not been rolled forward to a point in time that is encompassed in the local copy of the database log.", d.name)
	}
	s.linkMirror(in, d, partner, md)
	return nil
}

// linkMirror records a synchronized, safety FULL session between d (principal on in) and md (mirror on partner).
func (s *Sim) linkMirror(in *instance, d *database, partner *instance, md *database) {
	g := s.newGUID()
	d.mirror = &mirroring{guid: g, role: rolePrincipal, state: mirrorSynchronized, safety: safetyFull,
		partner: partner, partnerName: partner.mirrorAddress(), roleSeq: 1, safetySeq: 1}
	md.mirror = &mirroring{guid: g, role: roleMirror, state: mirrorSynchronized, safety: safetyFull,
		partner: in, partnerName: in.mirrorAddress(), roleSeq: 1, safetySeq: 1}
	md.pendingPartner = ""
	md.state = stateRestoring
	md.pos, md.content, md.redoPos, md.restoreOK = d.pos, d.content, d.pos, true
	md.fork = d.fork
	s.nudge()
}
