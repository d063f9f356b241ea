package sqlite

// PoolStats reports both connection pools (the single writer and the
// readers) together, for metrics.
func (s *Store) PoolStats() (open, inUse, idle int, waits int64) {
	w, r := s.writer.Stats(), s.reader.Stats()
	return w.OpenConnections + r.OpenConnections, w.InUse + r.InUse, w.Idle + r.Idle, w.WaitCount + r.WaitCount
}
