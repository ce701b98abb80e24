// Package config reads the console's TOML configuration: the estate an operator fails back (four SQL Server
// instances, the Persistent Chat pool, the Lync host that runs the cmdlets), how to authenticate to each, and the
// console's own settings.
//
// Decoding is strict: an unknown key, a wrong type or a value out of range is an error that names the file, the
// line and the field, and every problem found is reported at once (the operator is usually on a bridge call and
// should not fix one line per restart). The file never holds a password: each [auth.*] section names where the
// secret comes from (an environment variable, an owner-only file or a prompt), and Auth.Password fetches it.
//
// With no configuration file at the default location the console runs its built-in training simulator; Resolve
// reports that case as (nil, nil).
package config
