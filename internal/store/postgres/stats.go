package postgres

// PoolStats reports the connection pool, for metrics. A wait is an acquire
// that found no idle connection.
func (s *Store) PoolStats() (open, inUse, idle int, waits int64) {
	st := s.pool.Stat()
	return int(st.TotalConns()), int(st.AcquiredConns()), int(st.IdleConns()), st.EmptyAcquireCount()
}
