package importer_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/clientele/clientele/internal/config"
	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/testkit"
)

// An import run on PostgreSQL refreshes the planner's statistics once it
// has written firstStatsRefresh rows, so the growing tables stop being
// planned as empty ones; a run below that leaves them alone.
func TestImportRefreshesPlannerStatisticsOnPostgres(t *testing.T) {
	dsn, conn := testkit.PostgresSchema(t)
	k := testkit.New(t, testkit.WithConfig(func(c *config.Config) { c.DB = dsn }))
	lastAnalyze := func() *time.Time {
		var at *time.Time
		if err := conn.QueryRow(t.Context(), `SELECT last_analyze FROM pg_stat_user_tables
			WHERE schemaname = current_schema() AND relname = 'customers'`).Scan(&at); err != nil {
			t.Fatal(err)
		}
		return at
	}
	run := k.App.Service.NewImport(k.Shop, core.ImportOptions{Source: "clientele"})
	batch := func(from int) {
		recs := make([]core.ImportRecord, 500)
		for i := range recs {
			n := from + i
			recs[i] = core.ImportRecord{ExternalID: fmt.Sprint(n), Email: fmt.Sprintf("stats-%d@example.com", n)}
		}
		res, err := run.Batch(t.Context(), recs)
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Outcome != core.ImportCreated {
			t.Fatalf("batch from %d: %+v", from, res[0])
		}
	}
	for b := range 3 {
		batch(b * 500)
	}
	if at := lastAnalyze(); at != nil {
		t.Fatalf("1 500 rows: analyzed at %v, want not yet", at)
	}
	batch(1500)
	if lastAnalyze() == nil {
		t.Fatal("2 000 rows: customers never analyzed")
	}
}
