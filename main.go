// Command pcfailback is a terminal console that fails a Lync Server 2013 / Skype for Business Persistent Chat
// deployment back from its backup data center to its primary one. Run without configuration, it opens a
// training simulator of the whole estate.
package main

import (
	"os"
	// Embedded zone data: time_zone in the configuration must load on hosts without tzdata.
	_ "time/tzdata"

	"pcfailback/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
