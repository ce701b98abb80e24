// Package journal is the console's durable, tamper-evident record of a failback: one append-only file per
// environment, one JSON object per line (JSON Lines).
//
// Every record carries its sequence number and the hex SHA-256 of the previous line's exact bytes (without its
// line end), so an edited, deleted or reordered line breaks the chain. Truncating the tail leaves a shorter but
// valid chain, so a small sidecar file (<journal>.head) holds the last record's sequence number and digest;
// a journal shorter than its head is truncated.
//
// Each record is written with a single write and synced to disk before Append returns: a record the console has
// shown as done survives kill -9 and power loss. A crash in the middle of a write can leave a torn last line;
// Open reports it, keeps it (it is evidence) and carries on appending on a new line.
//
// A damaged chain is never repaired and never silently continued: Open returns the journal together with a
// *ChainError, and appends a break record that names what it found and links to the last record it could read.
// Later opens treat the problems a break record lists as recorded; Verify always reports every problem and every
// break.
//
// Run identifies one console run: Open draws a random id and Append stamps it on every record the run writes, so
// records of interleaved runs (a read-only console alongside the controlling one) stay attributable. The run's
// start record carries who ran it and from where.
//
// The journal holds no secrets: there is no field for a password, and the console records digests of scripts
// and output, never the text of a password prompt.
package journal
