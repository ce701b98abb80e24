// Package control makes sure that only one console at a time runs steps against an estate.
//
// The lock lives on the backup SQL Server instance, the one instance every failback step depends on and that every
// jump host can reach, so two consoles on two different machines still see each other. It is an application lock,
// sp_getapplock on the resource "pcfailback.control" in master, Exclusive, owned by the session, requested with no
// wait, on a session the console opens for that purpose and keeps open for its whole run:
//
//   - a console that exits releases it (Release, or simply closing the session);
//   - a console that crashes releases it at once: the operating system closes its socket, SQL Server ends the
//     session, and a session-owned application lock ends with its session;
//   - a jump host that vanishes (power, network) releases it when SQL Server's TCP keep-alive gives up on the
//     connection. SQL Server sends the first keep-alive after "Keep Alive" milliseconds of silence (SQL Server
//     Configuration Manager, Protocols for MSSQLSERVER, TCP/IP, Protocol tab; 30,000 ms unless changed) and then
//     one every "Keep Alive Interval" (1,000 ms; both defaults as documented for the same settings under "Client
//     Protocols - TCP IP Properties"), and Windows Vista / Server 2008 and later give up after 10 unanswered probes
//     (Winsock, SIO_KEEPALIVE_VALS: "set to 10 and cannot be changed"). The session of a vanished console
//     therefore ends, and its lock with it, about 40 seconds after the link went silent.
//
// The holder says who it is with SET CONTEXT_INFO on that same session: a short UTF-8 text (user, host, when it
// took control, process id) that any other console reads back from sys.dm_exec_sessions, joined with the lock's row
// in sys.dm_tran_locks, to show a banner naming who holds control. Who does that with SELECTs only, so a read-only
// console can call it without ever writing anything.
//
// A lease never takes control back by itself: when its session is lost, Check says so and the caller decides (the
// console goes read-only and tells the operator).
package control
