// Package kioskstore keeps the kiosk's state in one database, so that
// several kiosk hosts can share it: the access codes (their hashes), the
// wrong-code attempts of each address, the audit chain and its anchored
// head, each recovery's durable state (its journal), and the locks that
// keep one live session per recovery.
//
// Two backends sit behind Open: an embedded SQLite file ("sqlite:PATH",
// pure Go, the default, for one host) and PostgreSQL ("postgres://...",
// for several hosts). Their schemas are the numbered files under
// migrations/, run at Open in one transaction.
//
// The packages whose state it keeps see it in their own terms: a Store is
// an access.Attempts (the wrong-code throttle), Journals is a
// record.Backend (each recovery's journal), AuditChain an audit.ChainStore
// (the chain and its signed head). The kiosk (ui/kiosk) wires them. Every change is a
// transaction; on SQLite each one takes the write lock when it begins
// (BEGIN IMMEDIATE), on PostgreSQL it locks the rows it reads to change
// (SELECT ... FOR UPDATE), so two hosts never interleave one change.
//
// # Locks
//
// On PostgreSQL a lock is a session advisory lock, held on one connection
// of the store's own (not the pool's): PostgreSQL releases it when the
// session unlocks or when that connection ends, so a host that dies frees
// its recoveries without a lease to expire and without a clock. The
// connection asks the server for TCP keepalives, so a host that vanishes
// without closing it (a power cut) is noticed within about half a minute.
// One connection holds every lock of the host, so 200 sessions do not take
// 200 connections. An advisory lock is reentrant within its session, so
// the store also keeps the names it holds and refuses a second Lock of one
// name itself.
//
// On SQLite a lock is an flock on a file of its own beside the database
// (PATH.locks/): the kernel releases it when the store closes it or when
// the process ends, however it ends. A lease row would need a heartbeat
// and a clock to tell a dead holder from a slow one; the file lock needs
// neither, and SQLite serves one host anyway. (Where there is no flock,
// off Unix, a lock holds within its process only.)
//
// A lock keeps sessions apart; it does not guard the data. A host that
// loses its lock (its connection dropped) and goes on writing is stopped
// by the recovery's version: every write names the version it read
// (compare and set) and fails with ErrStale when another host wrote since.
//
// # Secrets
//
// A code never reaches the database, an error or a log: the store keeps
// a SHA-256 of each code (access.Hash; see steps/access for why a fast
// hash suffices), and a grant's state key is derived from the typed code
// and never stored. Errors name the operation, never a code or a database password.
package kioskstore
