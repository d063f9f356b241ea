// Package mail delivers Clientele's outgoing e-mail through sinks that
// implement [core.Mailer].
//
// Core hands a message over only after the transaction that caused it has
// committed. In production the mailer is a [Queue] in front of [SMTP], so a
// slow or failing mail server never adds latency to a request or fails it
// (an enumeration-safe reset must answer in the same time whether or not
// mail goes out). [Dir] writes .eml files for development and scripts, [Log]
// only records that mail went out, and [Recorder] lets tests wait for mail
// without sleeping.
//
// Bodies carry secrets (reset links hold tokens), so nothing here logs a
// body, and recipients are logged masked.
package mail
