// Package mssql is the production SQL runner: remote.SQLConn and remote.SQLSession over go-mssqldb and sqlexp.
//
// Every message a server sends (PRINT, BACKUP's "10 percent processed.", errors) reaches the caller as soon as the
// packet carrying it arrives, because batches run in the driver's message-queue mode and result sets are drained
// the moment they start. Each session is one pinned connection (one SPID) that is never pooled, so USE, SET and
// SINGLE_USER persist across the batches of a step and vanish when the step ends.
//
// The package guards against the driver's measured traps: a server that accepts TCP and never answers cannot hang
// a connect (a login deadline on the socket, lifted once logged in); there is no per-read "connection timeout" that
// would kill a long silent BACKUP; cancellation sends an attention and, when the server never confirms it, closes
// the socket so the caller gets control back; scripts with GO lines are split here rather than sent as a call to a
// procedure named GO; the encryption mode is always explicit and certificates are checked unless the configuration
// says otherwise.
package mssql
