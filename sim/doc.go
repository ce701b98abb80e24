// Package sim is the training simulator of the Persistent Chat estate: four SQL Server 2012 instances (primary,
// primary mirror, backup, backup mirror) holding mgc and mgccomp, a file server with the log-shipping and
// mirroring shares, SQL Server Agent with its log-shipping jobs, the Persistent Chat servers that connect to the
// principal database, and the Lync Server 2013 Management Shell cmdlets that steer them.
//
// The estate starts as the failover left it (the pool FailedOver on the backup data center) and behaves like the
// real products: the same system views and msdb tables, the same message numbers and texts for BACKUP, RESTORE
// and ALTER DATABASE, the same stored procedures for log shipping and SQL Agent. The console cannot tell it from a
// real estate except by its speed, which is set by the clock it is given.
//
// The simulator has no goroutines of its own. Time is whatever Options.Clock says; every call first brings the
// estate up to that time (SQL Agent schedules, Persistent Chat servers connecting or draining, writes landing in
// the databases) and then answers. Long statements pace themselves with Clock.Sleep and release the estate while
// they wait, so probes keep answering during a backup. Everything random comes from one seeded source, so a run is
// reproducible from its seed and the operations performed.
package sim
