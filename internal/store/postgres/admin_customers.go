package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/clientele/clientele/internal/core"
)

// SearchCustomers lists the shop's customers matching q, by id, after
// after. Every filter is optional:
//   - EmailPrefix is a range on email_normalized (collation "C", so byte
//     order), which core normalised the same way, so the (shop_id,
//     email_normalized) unique index serves it; a range, unlike LIKE, gives
//     no meaning to % or _ in the input;
//   - Name is a substring (strpos, again no wildcards) of "first last",
//     folded with lower(), which folds all of Unicode under a UTF-8 locale
//     as the SQLite backend's clientele_lower does; no B-tree index can
//     serve a substring, so it filters the walk of the shop's customers in
//     id order, which stops as soon as limit rows matched;
//   - Status uses the (shop_id, status, id) index of migration 00007;
//   - GroupID is a membership in customer_group_members.
func (r repo) SearchCustomers(ctx context.Context, shopID string, q core.CustomerQuery, after string, limit int) ([]core.Customer, error) {
	var (
		where []string
		args  []any
	)
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	where = append(where, "shop_id = "+arg(shopID), "id > "+arg(after))
	if q.EmailPrefix != "" {
		if end, ok := prefixEnd(q.EmailPrefix); ok {
			where = append(where, "email_normalized >= "+arg(q.EmailPrefix)+" AND email_normalized < "+arg(end))
		} else {
			where = append(where, "starts_with(email_normalized, "+arg(q.EmailPrefix)+")")
		}
	}
	if q.Name != "" {
		where = append(where, "strpos(lower(first_name || ' ' || last_name), "+arg(q.Name)+") > 0")
	}
	if q.Status != "" {
		where = append(where, "status = "+arg(string(q.Status)))
	}
	if q.GroupID != "" {
		where = append(where, `EXISTS (SELECT 1 FROM customer_group_members m
			WHERE m.shop_id = customers.shop_id AND m.group_id = `+arg(q.GroupID)+` AND m.customer_id = customers.id)`)
	}
	rows, err := r.q.Query(ctx, `SELECT `+customerColumns+` FROM customers
		WHERE `+strings.Join(where, " AND ")+` ORDER BY id LIMIT `+arg(limit), args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: search customers: %w", translate(err))
	}
	defer rows.Close()
	out := []core.Customer{}
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: search customers: %w", err)
		}
		out = append(out, *c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: search customers: %w", translate(err))
	}
	return out, nil
}

// prefixEnd returns the least string greater than every string that
// starts with p: p with its last character replaced by the next code
// point. UTF-8 sorts bytewise in code-point order, so under the "C"
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
