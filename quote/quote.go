// Package quote puts names into T-SQL. Every database name, path, job name and server name the console writes
// into a script goes through Ident or String, so a hostile or merely unusual name (a ']' or a quote in a folder
// name, unicode in a server name) can never change what the script does. PowerShell has its own single function,
// pwsh.Quote.
package quote

import "strings"

// Ident quotes a T-SQL identifier: [name] with every ']' doubled. It is for one part of a name; callers join the
// parts of a multi-part name with '.'. ALTER DATABASE takes no variable for the database name, so this is how
// the database name reaches it.
func Ident(name string) string {
	return "[" + strings.ReplaceAll(name, "]", "]]") + "]"
}

// String quotes a T-SQL Unicode string literal: N'text' with every single quote doubled. The N prefix keeps
// non-Latin characters in paths and names intact on servers whose code page lacks them.
func String(s string) string {
	return "N'" + strings.ReplaceAll(s, "'", "''") + "'"
}
