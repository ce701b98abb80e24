// Package tds is a TDS 7.x server in front of one simulated SQL Server instance: the wire protocol SQL Server
// 2008 R2 and 2012 speak, well enough for go-mssqldb and FreeTDS to log in, run batches and parameterised calls,
// stream messages while a statement runs and cancel it with an attention.
//
// It exists so that training mode exercises exactly the client code production runs: the console's SQL runner
// talks to these servers through the real driver, TLS included, instead of calling the simulator in-process.
//
// What is spoken: PRELOGIN with encryption negotiated as SQL Server does it (TLS carried inside PRELOGIN packets
// when the client asks for encryption, only the LOGIN7 packet encrypted when both sides say ENCRYPT_OFF, none
// when either side cannot), LOGIN7 with SQL Server logins, SQL batches, RPC calls (sp_executesql with typed
// parameters, or a procedure by name), result sets for every column type the simulator's views return,
// INFO/ERROR tokens flushed as they occur, attention, and the reset-connection flag of pooled clients. Not
// spoken: TDS 8 (encrypt=strict), integrated authentication (SSPI: refused with a clear error), MARS,
// transactions through transaction-manager requests, bulk load, OUTPUT parameters (RETURNVALUE tokens).
package tds
