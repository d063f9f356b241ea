// Package storejson holds the JSON shapes both storage backends write into
// JSON columns (an order's line items and address snapshots). One
// definition keeps the two backends' stored documents identical, and keeps
// the stored shape apart from Go field names, so renaming a field in core
// cannot orphan stored data.
package storejson

import (
	"encoding/json"
	"fmt"

	"github.com/clientele/clientele/internal/core"
)

// lineItem is the stored shape of a line item.
type lineItem struct {
	ID        string `json:"id,omitempty"`
	ProductID string `json:"product_id,omitempty"`
	VariantID string `json:"variant_id,omitempty"`
	SKU       string `json:"sku,omitempty"`
	Name      string `json:"name"`
	Quantity  int    `json:"quantity"`
	UnitPrice int64  `json:"unit_price"`
	Total     int64  `json:"total"`
	ImageURL  string `json:"image_url,omitempty"`
}

// EncodeLineItems encodes nil and empty alike as [].
func EncodeLineItems(items []core.LineItem) (string, error) {
	out := make([]lineItem, len(items))
	for i, li := range items {
		out[i] = lineItem(li)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return "", fmt.Errorf("%w: line items: %v", core.ErrInvalid, err)
	}
	return string(b), nil
}

// DecodeLineItems reads [] back as nil.
func DecodeLineItems(raw []byte) ([]core.LineItem, error) {
	var in []lineItem
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, fmt.Errorf("decode line items: %w", err)
	}
	if len(in) == 0 {
		return nil, nil
	}
	out := make([]core.LineItem, len(in))
	for i, li := range in {
		out[i] = core.LineItem(li)
	}
	return out, nil
}

// snapshot is the stored shape of an address snapshot: the postal fields
// only (a snapshot has no id, owner, label or timestamps).
type snapshot struct {
	FirstName   string `json:"first_name,omitempty"`
	LastName    string `json:"last_name,omitempty"`
	Company     string `json:"company,omitempty"`
	Address1    string `json:"address1,omitempty"`
	Address2    string `json:"address2,omitempty"`
	City        string `json:"city,omitempty"`
	RegionCode  string `json:"region_code,omitempty"`
	RegionName  string `json:"region_name,omitempty"`
	PostalCode  string `json:"postal_code,omitempty"`
	CountryCode string `json:"country_code,omitempty"`
	Phone       string `json:"phone,omitempty"`
}

// EncodeSnapshot encodes a snapshot; a nil one is SQL NULL (nil, nil).
func EncodeSnapshot(a *core.Address) (any, error) {
	if a == nil {
		return nil, nil
	}
	b, err := json.Marshal(snapshot{
		FirstName: a.FirstName, LastName: a.LastName, Company: a.Company, Address1: a.Address1,
		Address2: a.Address2, City: a.City, RegionCode: a.RegionCode, RegionName: a.RegionName,
		PostalCode: a.PostalCode, CountryCode: a.CountryCode, Phone: a.Phone,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: address snapshot: %v", core.ErrInvalid, err)
	}
	return string(b), nil
}

// DecodeSnapshot reads a snapshot; nil raw (SQL NULL) is a nil address.
func DecodeSnapshot(raw []byte) (*core.Address, error) {
	if raw == nil {
		return nil, nil
	}
	var s snapshot
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("decode address snapshot: %w", err)
	}
	return &core.Address{
		FirstName: s.FirstName, LastName: s.LastName, Company: s.Company, Address1: s.Address1,
		Address2: s.Address2, City: s.City, RegionCode: s.RegionCode, RegionName: s.RegionName,
		PostalCode: s.PostalCode, CountryCode: s.CountryCode, Phone: s.Phone,
	}, nil
}

// importJobError is the stored shape of a rejected record of an import job.
type importJobError struct {
	Line       int    `json:"line"`
	ExternalID string `json:"external_id,omitempty"`
	Reason     string `json:"reason"`
	Message    string `json:"message"`
}

// EncodeImportJobErrors encodes nil and empty alike as [].
func EncodeImportJobErrors(errs []core.ImportJobError) (string, error) {
	out := make([]importJobError, len(errs))
	for i, e := range errs {
		out[i] = importJobError(e)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return "", fmt.Errorf("%w: import job errors: %v", core.ErrInvalid, err)
	}
	return string(b), nil
}

// DecodeImportJobErrors decodes a stored errors column; it never returns
// nil, so an API lists no errors as [].
func DecodeImportJobErrors(raw []byte) ([]core.ImportJobError, error) {
	var in []importJobError
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, fmt.Errorf("import job errors: %w", err)
	}
	out := make([]core.ImportJobError, len(in))
	for i, e := range in {
		out[i] = core.ImportJobError(e)
	}
	return out, nil
}
