package core

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
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
}

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

// Batch validates and writes recs in one transaction and returns one
// result per record, in order. An error means the batch wrote nothing
// (storage failed); a bad record is a rejected result, never an error.
func (r *ImportRun) Batch(ctx context.Context, recs []ImportRecord) ([]ImportResult, error) {
	var out []ImportResult
	err := r.s.store.InTx(ctx, func(tx Store) error {
		out = make([]ImportResult, 0, len(recs))
		b := &importBatch{run: r, tx: tx, emails: map[string]int{}, ids: map[string]int{}}
		if err := b.loadGroups(ctx); err != nil {
			return err
		}
		for i := range recs {
			res, err := b.one(ctx, &recs[i])
			if err != nil {
				return fmt.Errorf("import line %d: %w", recs[i].Line, err)
			}
			out = append(out, res)
		}
		if r.opt.DryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// importBatch is the state of one batch: the store's groups by name, and
// the e-mails and external ids seen in the batch (with their lines).
type importBatch struct {
	run    *ImportRun
	tx     Store
	groups map[string]string
	emails map[string]int
	ids    map[string]int
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

// one imports a record: validate, match (external id, then e-mail), then
// create, update or skip.
func (b *importBatch) one(ctx context.Context, rec *ImportRecord) (ImportResult, error) {
	s, sh := b.run.s, b.run.shop
	email, reason, msg := b.run.validate(rec)
	if reason != "" {
		return Rejected(rec, reason, msg), nil
	}
	if line, ok := b.ids[rec.ExternalID]; ok {
		return Rejected(rec, ReasonDuplicateID, fmt.Sprintf("external id also on line %d", line)), nil
	}
	if line, ok := b.emails[email]; ok {
		return Rejected(rec, ReasonDuplicateEmail, fmt.Sprintf("e-mail also on line %d", line)), nil
	}
	b.ids[rec.ExternalID], b.emails[email] = rec.Line, rec.Line
	digest := recordDigest(rec)

	ref, err := b.tx.GetImportRefByExternalID(ctx, sh.ID, rec.ExternalID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return ImportResult{}, err
	}
	if ref != nil && ref.RunID == b.run.runID {
		return Rejected(rec, ReasonDuplicateID, "external id appears earlier in the file"), nil
	}
	byEmail, err := b.tx.GetCustomerByEmail(ctx, sh.ID, email)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return ImportResult{}, err
	}
	if byEmail != nil && (ref == nil || byEmail.ID != ref.CustomerID) {
		return b.emailHeld(ctx, rec, byEmail)
	}
	if ref == nil {
		return b.create(ctx, rec, email, digest)
	}
	if ref.Digest == digest {
		// Mark the ref with this run, so that a later row of the same file
		// with this id or e-mail is known as a duplicate, not an update.
		ref.RunID = b.run.runID
		if err := b.tx.PutImportRef(ctx, ref); err != nil {
			return ImportResult{}, err
		}
		return ImportResult{Line: rec.Line, ExternalID: rec.ExternalID, Email: rec.Email,
			Outcome: ImportSkipped, CustomerID: ref.CustomerID}, nil
	}
	c, err := b.tx.GetCustomer(ctx, sh.ID, ref.CustomerID)
	if err != nil {
		return ImportResult{}, err
	}
	return b.update(ctx, rec, c, email, digest, s.now())
}

// emailHeld rejects a record whose e-mail another customer of the store
// has: never merged silently. The message tells which customer.
func (b *importBatch) emailHeld(ctx context.Context, rec *ImportRecord, c *Customer) (ImportResult, error) {
	ref, err := b.tx.GetImportRef(ctx, b.run.shop.ID, c.ID)
	switch {
	case errors.Is(err, ErrNotFound):
		return Rejected(rec, ReasonEmailTaken, "e-mail belongs to customer "+c.ID+", who was not imported"), nil
	case err != nil:
		return ImportResult{}, err
	case ref.RunID == b.run.runID:
		return Rejected(rec, ReasonDuplicateEmail, "e-mail appears earlier in the file, with external id "+ref.ExternalID), nil
	}
	return Rejected(rec, ReasonEmailTaken, "e-mail belongs to customer "+c.ID+", imported with external id "+ref.ExternalID), nil
}

// create writes a new customer with its addresses, groups and credit.
func (b *importBatch) create(ctx context.Context, rec *ImportRecord, email, digest string) (ImportResult, error) {
	s, sh, tx := b.run.s, b.run.shop, b.tx
	now := s.now()
	c := &Customer{ID: s.newID("cus"), ShopID: sh.ID, Email: strings.TrimSpace(rec.Email), EmailNormalized: email,
		Status: StatusActive, CreatedAt: now, UpdatedAt: now}
	if !rec.CreatedAt.IsZero() {
		c.CreatedAt = rec.CreatedAt.UTC().Truncate(time.Microsecond)
	}
	applyImport(rec, c)
	if err := tx.CreateCustomer(ctx, c); err != nil {
		return ImportResult{}, err
	}
	if err := b.putRef(ctx, rec, c.ID, digest, now); err != nil {
		return ImportResult{}, err
	}
	for _, in := range rec.Addresses {
		a := Address{ID: s.newID("addr"), ShopID: sh.ID, CustomerID: c.ID, CreatedAt: now, UpdatedAt: now}
		importAddressInput(in).patch().apply(&a)
		if err := tx.CreateAddress(ctx, &a); err != nil {
			return ImportResult{}, err
		}
		if in.DefaultBilling && c.DefaultBillingAddressID == "" {
			c.DefaultBillingAddressID = a.ID
		}
		if in.DefaultShipping && c.DefaultShippingAddressID == "" {
			c.DefaultShippingAddressID = a.ID
		}
	}
	if c.DefaultBillingAddressID != "" || c.DefaultShippingAddressID != "" {
		if err := tx.UpdateCustomer(ctx, c); err != nil {
			return ImportResult{}, err
		}
	}
	if err := b.joinGroups(ctx, c.ID, rec.Groups, nil); err != nil {
		return ImportResult{}, err
	}
	for _, cr := range rec.Credit {
		if cr.Amount == 0 {
			continue
		}
		cur, _ := NormalizeCurrency(cr.Currency)
		e := &CreditEntry{ID: s.newID("scr"), ShopID: sh.ID, CustomerID: c.ID, Currency: cur, Amount: cr.Amount,
			Kind: CreditAdjustment, Reason: "opening balance imported from " + creditSource(b.run.opt.Source, cr.Source),
			Author: "import:" + b.run.opt.Source, Reference: rec.ExternalID, CreatedAt: now}
		if err := tx.AppendCredit(ctx, e); err != nil {
			return ImportResult{}, err
		}
	}
	if err := s.emit(ctx, tx, sh.ID, EventCustomerCreated, c.ID, map[string]any{
		"email": c.Email, "imported_from": b.run.opt.Source, "external_id": rec.ExternalID,
	}); err != nil {
		return ImportResult{}, err
	}
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
	if err := b.putRef(ctx, rec, c.ID, digest, now); err != nil {
		return ImportResult{}, err
	}
	current, err := b.tx.CustomerGroups(ctx, c.ShopID, c.ID)
	if err != nil {
		return ImportResult{}, err
	}
	if err := b.joinGroups(ctx, c.ID, rec.Groups, current); err != nil {
		return ImportResult{}, err
	}
	if err := b.run.s.emit(ctx, b.tx, c.ShopID, EventCustomerUpdated, c.ID, map[string]any{
		"imported_from": b.run.opt.Source, "external_id": rec.ExternalID,
	}); err != nil {
		return ImportResult{}, err
	}
	return ImportResult{Line: rec.Line, ExternalID: rec.ExternalID, Email: c.Email, Outcome: ImportUpdated, CustomerID: c.ID}, nil
}

func (b *importBatch) putRef(ctx context.Context, rec *ImportRecord, customerID, digest string, now time.Time) error {
	return b.tx.PutImportRef(ctx, &ImportRef{ShopID: b.run.shop.ID, CustomerID: customerID, ExternalID: rec.ExternalID,
		Source: b.run.opt.Source, Digest: digest, RunID: b.run.runID, ImportedAt: now})
}

// joinGroups adds the customer to the named groups (creating groups the
// store lacks) on top of the current memberships.
func (b *importBatch) joinGroups(ctx context.Context, customerID string, names []string, current []CustomerGroup) error {
	if len(names) == 0 {
		return nil
	}
	ids := groupIDs(current)
	before := len(ids)
	for _, raw := range names {
		name := groupName(raw)
		id, ok := b.groups[name]
		if !ok {
			now := b.run.s.now()
			g := &CustomerGroup{ID: b.run.s.newID("cgrp"), ShopID: b.run.shop.ID, Name: name, CreatedAt: now, UpdatedAt: now,
				Metadata: map[string]any{"imported_from": b.run.opt.Source}}
			if err := b.tx.CreateGroup(ctx, g); err != nil {
				return err
			}
			b.groups[name], id = g.ID, g.ID
		}
		if !containsString(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == before {
		return nil
	}
	return b.tx.SetCustomerGroups(ctx, b.run.shop.ID, customerID, ids)
}

func containsString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
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
