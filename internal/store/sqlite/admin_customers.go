package sqlite

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"unicode/utf8"

	"modernc.org/sqlite"

	"github.com/clientele/clientele/internal/core"
)

// unicodeLower is SQLite's lower() for all of Unicode: the built-in one
// folds ASCII only, while PostgreSQL's lower() folds every letter, and the
// name search must match the same customers on both backends.
const unicodeLower = "clientele_lower"

func init() {
	sqlite.MustRegisterDeterministicScalarFunction(unicodeLower, 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return strings.ToLower(v), nil
		case []byte:
			return strings.ToLower(string(v)), nil
		default:
			return v, nil // NULL (and numbers) pass through, as with lower()
		}
	})
}

// SearchCustomers lists the shop's customers matching q, by id, after
// after. Every filter is optional:
//   - EmailPrefix is a range on email_normalized, which core normalised the
//     same way, so the (shop_id, email_normalized) unique index serves it;
//     a range, unlike LIKE, gives no meaning to % or _ in the input;
//   - Name is a substring (instr, again no wildcards) of "first last",
//     folded to lower case; no B-tree index can serve a substring, so it
//     filters the walk of the shop's customers in id order, which stops as
//     soon as limit rows matched;
//   - Status uses the (shop_id, status, id) index of migration 00007;
//   - GroupID is a membership in customer_group_members.
func (r repo) SearchCustomers(ctx context.Context, shopID string, q core.CustomerQuery, after string, limit int) ([]core.Customer, error) {
	where := []string{"shop_id = ?", "id > ?"}
	args := []any{shopID, after}
	if q.EmailPrefix != "" {
		if end, ok := prefixEnd(q.EmailPrefix); ok {
			where = append(where, "email_normalized >= ? AND email_normalized < ?")
			args = append(args, q.EmailPrefix, end)
		} else {
			where = append(where, "substr(email_normalized, 1, length(?)) = ?")
			args = append(args, q.EmailPrefix, q.EmailPrefix)
		}
	}
	if q.Name != "" {
		where = append(where, "instr("+unicodeLower+"(first_name || ' ' || last_name), ?) > 0")
		args = append(args, q.Name)
	}
	if q.Status != "" {
		where = append(where, "status = ?")
		args = append(args, string(q.Status))
	}
	if q.GroupID != "" {
		where = append(where, `EXISTS (SELECT 1 FROM customer_group_members m
			WHERE m.shop_id = customers.shop_id AND m.group_id = ? AND m.customer_id = customers.id)`)
		args = append(args, q.GroupID)
	}
	args = append(args, limit)
	rows, err := r.r.QueryContext(ctx, `SELECT `+customerColumns+` FROM customers
		WHERE `+strings.Join(where, " AND ")+` ORDER BY id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: search customers: %w", translate(err))
	}
	defer rows.Close()
	out := []core.Customer{}
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: search customers: %w", err)
		}
		out = append(out, *c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: search customers: %w", translate(err))
	}
	return out, nil
}

// prefixEnd returns the least string greater than every string that
// starts with p: p with its last character replaced by the next code
// point. UTF-8 sorts bytewise in code-point order, so under a binary
// collation "starts with p" is exactly ">= p AND < prefixEnd(p)". It
// reports false when there is no next code point (p ends in U+10FFFF).
func prefixEnd(p string) (string, bool) {
	r, size := utf8.DecodeLastRuneInString(p)
	if size == 0 || (r == utf8.RuneError && size == 1) || r == utf8.MaxRune {
		return "", false
	}
	r++
	if r >= 0xD800 && r <= 0xDFFF {
		r = 0xE000 // surrogates are not characters
	}
	return p[:len(p)-size] + string(r), true
}
