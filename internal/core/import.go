package core

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ImportRecord is one customer read from another platform's export (or
// Clientele's own, see internal/importer). Readers fill it; ImportRun
// validates and writes it.
type ImportRecord struct {
	// Line is where the record starts in its file, for the report.
	Line int `json:"-"`
	// ExternalID is the customer's id on the old platform (required): a
	// re-run matches on it first, and dialects can answer with it.
	ExternalID  string `json:"external_id"`
	Email       string `json:"email"`
	FirstName   string `json:"first_name,omitempty"`
	LastName    string `json:"last_name,omitempty"`
	Phone       string `json:"phone,omitempty"`
	CompanyName string `json:"company_name,omitempty"`
	Gender      string `json:"gender,omitempty"`
	DateOfBirth string `json:"date_of_birth,omitempty"` // YYYY-MM-DD
	// PasswordHash is the platform's hash as it stored it; empty imports
	// a passwordless customer who sets a password through the reset flow.
	PasswordHash string `json:"password_hash,omitempty"`
	// CreatedAt is when the account was made on the old platform; zero
	// means now.
	CreatedAt time.Time `json:"created_at,omitzero"`
	// EmailVerified marks the e-mail verified at EmailVerifiedAt, or at
	// CreatedAt when that is zero.
	EmailVerified         bool      `json:"email_verified,omitempty"`
	EmailVerifiedAt       time.Time `json:"email_verified_at,omitzero"`
	AcceptsEmailMarketing bool      `json:"accepts_email_marketing,omitempty"`
	Disabled              bool      `json:"disabled,omitempty"`
	// Groups are group names; a name the store lacks is created.
	Groups    []string        `json:"groups,omitempty"`
	Addresses []ImportAddress `json:"addresses,omitempty"`
	Credit    []ImportCredit  `json:"store_credit,omitempty"`
	Metadata  map[string]any  `json:"metadata,omitempty"`
}

// ImportAddress is an address of an imported customer with its defaults.
type ImportAddress struct {
	Label           string         `json:"label,omitempty"`
	FirstName       string         `json:"first_name,omitempty"`
	LastName        string         `json:"last_name,omitempty"`
	Company         string         `json:"company,omitempty"`
	Address1        string         `json:"address1,omitempty"`
	Address2        string         `json:"address2,omitempty"`
	City            string         `json:"city,omitempty"`
	RegionCode      string         `json:"region_code,omitempty"`
	RegionName      string         `json:"region_name,omitempty"`
	PostalCode      string         `json:"postal_code,omitempty"`
	CountryCode     string         `json:"country_code"`
	Phone           string         `json:"phone,omitempty"`
	Metadata        map[string]any `json:"metadata,omitempty"`
	DefaultBilling  bool           `json:"default_billing,omitempty"`
	DefaultShipping bool           `json:"default_shipping,omitempty"`
}

// ImportCredit is an opening store-credit balance, written as one ledger
// entry whose reason names Source (e.g. "spree_store_credits").
type ImportCredit struct {
	Currency string `json:"currency"`
	Amount   int64  `json:"amount"` // minor units, ≥ 0
	Source   string `json:"source,omitempty"`
}

// ImportOutcome is what an import did with one record.
type ImportOutcome string

// Import outcomes.
const (
	ImportCreated  ImportOutcome = "created"
	ImportUpdated  ImportOutcome = "updated"
	ImportSkipped  ImportOutcome = "skipped" // already imported, unchanged
	ImportRejected ImportOutcome = "rejected"
)

// Reasons an import rejects a record. They are written to report files and
// are part of the contract: never rename one.
const (
	ReasonMalformed         = "malformed_row" // readers: the row could not be parsed
	ReasonMissingExternalID = "missing_external_id"
	ReasonInvalidEmail      = "invalid_email"
	ReasonInvalidField      = "invalid_field"
	ReasonInvalidCountry    = "invalid_country"
	ReasonUnknownHash       = "unknown_hash_format"
	ReasonHashCostTooHigh   = "hash_cost_too_high"
	ReasonDuplicateEmail    = "duplicate_email_in_file"
	ReasonDuplicateID       = "duplicate_external_id_in_file"
	ReasonEmailTaken        = "email_taken" // another customer of the store has the e-mail
	ReasonTooManyAddresses  = "too_many_addresses"
)

// ImportResult is the outcome of one record.
type ImportResult struct {
	Line       int           `json:"line"`
	ExternalID string        `json:"external_id"`
	Email      string        `json:"email,omitempty"`
	Outcome    ImportOutcome `json:"outcome"`
	CustomerID string        `json:"customer_id,omitempty"`
	Reason     string        `json:"reason,omitempty"`
	Message    string        `json:"message,omitempty"`
}

// Rejected returns the result of a record refused for reason.
func Rejected(rec *ImportRecord, reason, msg string) ImportResult {
	return ImportResult{Line: rec.Line, ExternalID: rec.ExternalID, Email: rec.Email,
		Outcome: ImportRejected, Reason: reason, Message: msg}
}

// ImportOptions configure an import run.
type ImportOptions struct {
	// Source names the platform (spree, medusa, bagisto, sfcc, clientele);
	// it is stored with each customer's external id.
	Source string
	// DryRun validates and matches every record as a real run would,
	// inside transactions that are rolled back.
	DryRun bool
	// Peppered says the records' bcrypt hashes were made over password +
	// the store's legacy pepper (Devise's config.pepper), which
	// SetLegacyPepper must have recorded first: they are stored marked, and
	// login appends the pepper before verifying.
	Peppered bool
}

// ImportRun imports one file, batch by batch. Each batch is one
// transaction, so a run killed half-way leaves whole batches behind and a
// re-run skips them (their records match by external id with an equal
// digest). A run keeps no per-record state in memory: duplicates across
// batches are found in the store, through the run id each row's ref is
// marked with (a skipped row's too: that is the one write a re-run
// makes). A dry run writes nothing, so it only sees duplicates within one
// batch.
type ImportRun struct {
	s     *Service
	shop  *Shop
	opt   ImportOptions
	runID string
	// pepperChecked is set once the store's pepper is known to exist.
	pepperChecked bool
	// written counts the rows this run's batches committed, and
	// nextRefresh is the count at which the store's planner statistics
	// are refreshed next (see ImportStatsRefresher).
	written, nextRefresh int
}

// ImportStatsRefresher is implemented by stores whose query planner needs
// fresh table statistics while an import grows the tables. PostgreSQL plans
// from statistics; after a store's tables grow from empty to a few
// thousand rows in minutes, stale ones (autovacuum off, or simply behind)
// left the import's foreign-key checks and updates on plans made for empty
// tables, and a 1 M-row import fell below 100 rows/s (BENCHMARKS.md).
type ImportStatsRefresher interface {
	RefreshImportStats(ctx context.Context) error
}

// firstStatsRefresh is the row count of an import run's first statistics
// refresh; each later one waits for the count to double.
const firstStatsRefresh = 2000

// NewImport starts an import run into the store sh.
func (s *Service) NewImport(sh *Shop, opt ImportOptions) *ImportRun {
	return &ImportRun{s: s, shop: sh, opt: opt, runID: s.newID("imp")}
}

// ImportCustomers imports recs as one batch of a new run.
func (s *Service) ImportCustomers(ctx context.Context, sh *Shop, recs []ImportRecord, opt ImportOptions) ([]ImportResult, error) {
	return s.NewImport(sh, opt).Batch(ctx, recs)
}

// errDryRun rolls a dry run's transaction back.
var errDryRun = errors.New("dry run")

// importRetries bounds how often a batch is redone after a write lost a
// race (a customer registered with an e-mail between match and write).
const importRetries = 3

// Batch validates and writes recs in one transaction and returns one
// result per record, in order. An error means the batch wrote nothing
// (storage failed); a bad record is a rejected result, never an error.
//
// The batch costs a fixed number of statements, not a few per record:
// one lookup of every match (Store.FindImportMatches), then one write of
// every new row (Store.WriteImport); only records that update a customer
// imported before are written one by one. If the write loses a race with
// a sign-up or another import (ErrConflict), the batch is redone in a new
// transaction, where the match now sees the winner and rejects the record.
func (r *ImportRun) Batch(ctx context.Context, recs []ImportRecord) ([]ImportResult, error) {
	if r.opt.Peppered && !r.opt.DryRun && !r.pepperChecked {
		// A marked hash without its pepper could never verify: refuse
		// before writing one.
		if _, err := r.s.store.GetLegacyPepper(ctx, r.shop.ID); err != nil {
			return nil, fmt.Errorf("peppered import: the store has no legacy pepper (SetLegacyPepper first): %w", err)
		}
		r.pepperChecked = true
	}
	var out []ImportResult
	var err error
	for range importRetries {
		out, err = r.batch(ctx, recs)
		if !errors.Is(err, ErrConflict) {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	r.refreshStats(ctx, out)
	return out, nil
}

// refreshStats asks the store to refresh its planner statistics each time
// the rows this run wrote double, from firstStatsRefresh on: a handful of
// refreshes for any size of import. A failure only costs speed.
func (r *ImportRun) refreshStats(ctx context.Context, out []ImportResult) {
	sr, ok := r.s.store.(ImportStatsRefresher)
	if !ok || r.opt.DryRun {
		return
	}
	for _, res := range out {
		if res.Outcome == ImportCreated || res.Outcome == ImportUpdated {
			r.written++
		}
	}
	if r.nextRefresh == 0 {
		r.nextRefresh = firstStatsRefresh
	}
	if r.written < r.nextRefresh {
		return
	}
	r.nextRefresh = 2 * r.written
	if err := sr.RefreshImportStats(ctx); err != nil {
		r.s.log.Warn("import: planner statistics not refreshed", "err", err)
	}
}

func (r *ImportRun) batch(ctx context.Context, recs []ImportRecord) ([]ImportResult, error) {
	var out []ImportResult
	err := r.s.store.InTx(ctx, func(tx Store) error {
		b := &importBatch{run: r, tx: tx, emails: map[string]int{}, ids: map[string]int{}}
		if err := b.loadGroups(ctx); err != nil {
			return err
		}
		var err error
		if out, err = b.all(ctx, recs); err != nil {
			return err
		}
		if r.opt.DryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return out, err
}

// importBatch is the state of one batch: the store's groups by name, and
// the e-mails and external ids seen in the batch (with their lines).
type importBatch struct {
	run    *ImportRun
	tx     Store
	groups map[string]string
	emails map[string]int
	ids    map[string]int
	w      ImportWrites
}

func (b *importBatch) loadGroups(ctx context.Context) error {
	b.groups = map[string]string{}
	after := ""
	for {
		gs, err := b.tx.ListGroups(ctx, b.run.shop.ID, after, 100)
		if err != nil {
			return err
		}
		for _, g := range gs {
			b.groups[g.Name] = g.ID
			after = g.ID
		}
		if len(gs) < 100 {
			return nil
		}
	}
}

// candidate is a record that passed validation.
type candidate struct {
	i             int
	email, digest string
}

// all imports the batch: validate each record, match all of them (external
// id, then e-mail) in one lookup, then create, update or skip each.
func (b *importBatch) all(ctx context.Context, recs []ImportRecord) ([]ImportResult, error) {
	out := make([]ImportResult, len(recs))
	var cands []candidate
	var ids, emails []string
	for i := range recs {
		rec := &recs[i]
		email, reason, msg := b.run.validate(rec)
		if reason != "" {
			out[i] = Rejected(rec, reason, msg)
			continue
		}
		if line, ok := b.ids[rec.ExternalID]; ok {
			out[i] = Rejected(rec, ReasonDuplicateID, fmt.Sprintf("external id also on line %d", line))
			continue
		}
		if line, ok := b.emails[email]; ok {
			out[i] = Rejected(rec, ReasonDuplicateEmail, fmt.Sprintf("e-mail also on line %d", line))
			continue
		}
		b.ids[rec.ExternalID], b.emails[email] = rec.Line, rec.Line
		// The digest is of the record as stored: a re-run with the pepper
		// after one without must update the hashes, not skip them.
		stored := *rec
		stored.PasswordHash = pepperedHash(rec.PasswordHash, b.run.opt.Peppered)
		cands = append(cands, candidate{i: i, email: email, digest: recordDigest(&stored)})
		ids, emails = append(ids, rec.ExternalID), append(emails, email)
	}
	if len(cands) == 0 {
		return out, nil
	}
	matches, err := b.tx.FindImportMatches(ctx, b.run.shop.ID, ids, emails)
	if err != nil {
		return nil, err
	}
	byID, byEmail := map[string]*ImportMatch{}, map[string]*ImportMatch{}
	for i := range matches {
		m := &matches[i]
		byEmail[m.Customer.EmailNormalized] = m
		if m.Ref != nil {
			byID[m.Ref.ExternalID] = m
		}
	}
	for _, cd := range cands {
		rec := &recs[cd.i]
		if out[cd.i], err = b.one(ctx, rec, cd, byID[rec.ExternalID], byEmail[cd.email]); err != nil {
			return nil, fmt.Errorf("import line %d: %w", rec.Line, err)
		}
	}
	if err := b.tx.WriteImport(ctx, &b.w); err != nil {
		return nil, err
	}
	return out, nil
}

// one decides a validated record against its matches: by external id
// (byID) and by e-mail (byEmail), either nil.
func (b *importBatch) one(ctx context.Context, rec *ImportRecord, cd candidate, byID, byEmail *ImportMatch) (ImportResult, error) {
	if byID != nil && byID.Ref.RunID == b.run.runID {
		return Rejected(rec, ReasonDuplicateID, "external id appears earlier in the file"), nil
	}
	if byEmail != nil && (byID == nil || byEmail.Customer.ID != byID.Customer.ID) {
		return b.emailHeld(rec, byEmail), nil
	}
	if byID == nil {
		return b.create(ctx, rec, cd.email, cd.digest)
	}
	ref := *byID.Ref
	// Mark the ref with this run, so that a later row of the same file
	// with this id or e-mail is known as a duplicate, not an update.
	ref.RunID = b.run.runID
	if ref.Digest == cd.digest {
		b.w.Refs = append(b.w.Refs, ref)
		return ImportResult{Line: rec.Line, ExternalID: rec.ExternalID, Email: rec.Email,
			Outcome: ImportSkipped, CustomerID: ref.CustomerID}, nil
	}
	c := byID.Customer
	return b.update(ctx, rec, &c, cd.email, cd.digest, b.run.s.now())
}

// emailHeld rejects a record whose e-mail another customer of the store
// has: never merged silently. The message tells which customer.
func (b *importBatch) emailHeld(rec *ImportRecord, m *ImportMatch) ImportResult {
	switch {
	case m.Ref == nil:
		return Rejected(rec, ReasonEmailTaken, "e-mail belongs to customer "+m.Customer.ID+", who was not imported")
	case m.Ref.RunID == b.run.runID:
		return Rejected(rec, ReasonDuplicateEmail, "e-mail appears earlier in the file, with external id "+m.Ref.ExternalID)
	}
	return Rejected(rec, ReasonEmailTaken, "e-mail belongs to customer "+m.Customer.ID+", imported with external id "+m.Ref.ExternalID)
}

// create adds a new customer with its addresses, groups and credit to the
// batch's writes.
func (b *importBatch) create(ctx context.Context, rec *ImportRecord, email, digest string) (ImportResult, error) {
	s, sh := b.run.s, b.run.shop
	now := s.now()
	c := Customer{ID: s.newID("cus"), ShopID: sh.ID, Email: strings.TrimSpace(rec.Email), EmailNormalized: email,
		Status: StatusActive, CreatedAt: now, UpdatedAt: now}
	if !rec.CreatedAt.IsZero() {
		c.CreatedAt = rec.CreatedAt.UTC().Truncate(time.Microsecond)
	}
	applyImport(rec, &c)
	c.PasswordHash = pepperedHash(rec.PasswordHash, b.run.opt.Peppered)
	for _, in := range rec.Addresses {
		a := Address{ID: s.newID("addr"), ShopID: sh.ID, CustomerID: c.ID, CreatedAt: now, UpdatedAt: now}
		importAddressInput(in).patch().apply(&a)
		b.w.Addresses = append(b.w.Addresses, a)
		if in.DefaultBilling && c.DefaultBillingAddressID == "" {
			c.DefaultBillingAddressID = a.ID
		}
		if in.DefaultShipping && c.DefaultShippingAddressID == "" {
			c.DefaultShippingAddressID = a.ID
		}
	}
	b.w.Customers = append(b.w.Customers, c)
	b.w.Refs = append(b.w.Refs, b.ref(rec, c.ID, digest, now))
	ids, err := b.groupIDs(ctx, rec.Groups)
	if err != nil {
		return ImportResult{}, err
	}
	for _, id := range ids {
		b.w.Members = append(b.w.Members, GroupMember{ShopID: sh.ID, CustomerID: c.ID, GroupID: id})
	}
	for _, cr := range rec.Credit {
		if cr.Amount == 0 {
			continue
		}
		cur, _ := NormalizeCurrency(cr.Currency)
		b.w.Credit = append(b.w.Credit, CreditEntry{ID: s.newID("scr"), ShopID: sh.ID, CustomerID: c.ID, Currency: cur,
			Amount: cr.Amount, Kind: CreditAdjustment, Reason: "opening balance imported from " + creditSource(b.run.opt.Source, cr.Source),
			Author: "import:" + b.run.opt.Source, Reference: rec.ExternalID, CreatedAt: now})
	}
	b.w.Events = append(b.w.Events, Event{ID: s.newID("evt"), ShopID: sh.ID, Type: EventCustomerCreated, SubjectID: c.ID,
		Data: map[string]any{"email": c.Email, "imported_from": b.run.opt.Source, "external_id": rec.ExternalID}, CreatedAt: now})
	return ImportResult{Line: rec.Line, ExternalID: rec.ExternalID, Email: c.Email, Outcome: ImportCreated, CustomerID: c.ID}, nil
}

// update refreshes a customer imported before whose record changed: the
// profile, e-mail, consent, verification, status, metadata and group
// memberships (added, never removed). Addresses and credit are written
// only at creation, so a re-import never duplicates them or undoes what
// the customer changed since. The password hash is replaced only while
// the customer has never set a password on Clientele.
func (b *importBatch) update(ctx context.Context, rec *ImportRecord, c *Customer, email, digest string, now time.Time) (ImportResult, error) {
	keepHash, keepVerified := c.PasswordHash, c.EmailVerifiedAt
	c.Email, c.EmailNormalized = strings.TrimSpace(rec.Email), email
	applyImport(rec, c)
	c.PasswordHash = pepperedHash(rec.PasswordHash, b.run.opt.Peppered)
	if c.PasswordChangedAt != nil || rec.PasswordHash == "" {
		c.PasswordHash = keepHash
	}
	if keepVerified != nil {
		// Verified stays verified, since the time it first was.
		c.EmailVerifiedAt = keepVerified
	}
	c.UpdatedAt = now
	if err := b.tx.UpdateCustomer(ctx, c); err != nil {
		return ImportResult{}, err
	}
	b.w.Refs = append(b.w.Refs, b.ref(rec, c.ID, digest, now))
	current, err := b.tx.CustomerGroups(ctx, c.ShopID, c.ID)
	if err != nil {
		return ImportResult{}, err
	}
	ids := groupIDs(current)
	named, err := b.groupIDs(ctx, rec.Groups)
	if err != nil {
		return ImportResult{}, err
	}
	if added := addMissing(ids, named); len(added) > len(ids) {
		if err := b.tx.SetCustomerGroups(ctx, c.ShopID, c.ID, added); err != nil {
			return ImportResult{}, err
		}
	}
	if err := b.run.s.emit(ctx, b.tx, c.ShopID, EventCustomerUpdated, c.ID, map[string]any{
		"imported_from": b.run.opt.Source, "external_id": rec.ExternalID,
	}); err != nil {
		return ImportResult{}, err
	}
	return ImportResult{Line: rec.Line, ExternalID: rec.ExternalID, Email: c.Email, Outcome: ImportUpdated, CustomerID: c.ID}, nil
}

func (b *importBatch) ref(rec *ImportRecord, customerID, digest string, now time.Time) ImportRef {
	return ImportRef{ShopID: b.run.shop.ID, CustomerID: customerID, ExternalID: rec.ExternalID,
		Source: b.run.opt.Source, Digest: digest, RunID: b.run.runID, ImportedAt: now}
}

// groupIDs returns the ids of the named groups, creating the ones the
// store lacks.
func (b *importBatch) groupIDs(ctx context.Context, names []string) ([]string, error) {
	var ids []string
	for _, raw := range names {
		name := groupName(raw)
		id, ok := b.groups[name]
		if !ok {
			now := b.run.s.now()
			g := &CustomerGroup{ID: b.run.s.newID("cgrp"), ShopID: b.run.shop.ID, Name: name, CreatedAt: now, UpdatedAt: now,
				Metadata: map[string]any{"imported_from": b.run.opt.Source}}
			if err := b.tx.CreateGroup(ctx, g); err != nil {
				return nil, err
			}
			b.groups[name], id = g.ID, g.ID
		}
		ids = addMissing(ids, []string{id})
	}
	return ids, nil
}

// addMissing appends the ids of add that list lacks.
func addMissing(list, add []string) []string {
	out := slices.Clone(list)
	for _, id := range add {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// applyImport writes the record's profile fields into c.
func applyImport(rec *ImportRecord, c *Customer) {
	c.FirstName, c.LastName = strings.TrimSpace(rec.FirstName), strings.TrimSpace(rec.LastName)
	c.Phone, c.CompanyName = strings.TrimSpace(rec.Phone), strings.TrimSpace(rec.CompanyName)
	c.Gender, c.DateOfBirth = strings.TrimSpace(rec.Gender), strings.TrimSpace(rec.DateOfBirth)
	c.PasswordHash = rec.PasswordHash
	c.AcceptsEmailMarketing = rec.AcceptsEmailMarketing
	c.Metadata = rec.Metadata
	c.Status = StatusActive
	if rec.Disabled {
		c.Status = StatusDisabled
	}
	c.EmailVerifiedAt = nil
	if rec.EmailVerified {
		at := rec.EmailVerifiedAt
		if at.IsZero() {
			at = c.CreatedAt
		}
		at = at.UTC().Truncate(time.Microsecond)
		c.EmailVerifiedAt = &at
	}
}

func importAddressInput(a ImportAddress) AddressInput {
	return AddressInput{Label: a.Label, FirstName: a.FirstName, LastName: a.LastName, Company: a.Company,
		Address1: a.Address1, Address2: a.Address2, City: a.City, RegionCode: a.RegionCode, RegionName: a.RegionName,
		PostalCode: a.PostalCode, CountryCode: a.CountryCode, Phone: a.Phone, Metadata: a.Metadata}
}

func creditSource(platform, source string) string {
	if source == "" {
		return platform
	}
	return platform + " (" + source + ")"
}

// recordDigest is the SHA-256 of the record's JSON form: equal records
// (whatever their line) have equal digests.
func recordDigest(rec *ImportRecord) string {
	b, _ := json.Marshal(rec)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
