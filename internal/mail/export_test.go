package mail

import "time"

// Hooks for the external tests in package mail_test.

// SetDirClock pins the time a Dir stamps on messages and file names.
func SetDirClock(d *Dir, now func() time.Time) { d.now = now }

// SetQueueTimeout changes the per-message timeout; call it before Send.
func SetQueueTimeout(q *Queue, timeout time.Duration) { q.timeout = timeout }

// QueueDone is closed when q's worker has exited.
func QueueDone(q *Queue) <-chan struct{} { return q.done }
