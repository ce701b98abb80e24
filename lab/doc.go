// Package lab runs the training simulator behind the same wire protocols production uses: one TDS server per
// simulated SQL Server instance and a WinRM (WS-Management over HTTPS) endpoint for the simulated Lync host, all on
// loopback, with TLS from a private CA and SQL / WinRM accounts with random passwords. It writes a configuration
// file for the console next to the CA and the password files, so the console reaches the simulator exactly as it
// reaches real servers: through the configuration, the production runners and the network.
//
// `pcfailback sim` runs a lab standalone for several trainees; training mode with no configuration starts one
// in-process on ephemeral ports.
package lab
