package core

import (
	"context"
	"errors"
)

// CustomerByExternalID returns the shop's customer imported with the old
// platform's id externalID, for dialects that must answer with old ids and
// for linking orders. ErrNotFound when none is.
func (s *Service) CustomerByExternalID(ctx context.Context, shopID, externalID string) (*Customer, error) {
	ref, err := s.store.GetImportRefByExternalID(ctx, shopID, externalID)
	if err != nil {
		return nil, err
	}
	return s.store.GetCustomer(ctx, shopID, ref.CustomerID)
}

// CustomerImportRef returns the import ref of the shop's customer, or
// ErrNotFound for a customer who was not imported.
func (s *Service) CustomerImportRef(ctx context.Context, shopID, customerID string) (*ImportRef, error) {
	return s.store.GetImportRef(ctx, shopID, customerID)
}

// ExportRecords calls fn with every customer of the shop as an import
// record, oldest first, so `clientele customers export` output imports
// into any Clientele store (a store is never locked in). The external id
// is the one the customer was imported with, or the Clientele id. Store
// credit comes along as opening balances; sessions, wishlists, payment
// methods and orders do not.
func (s *Service) ExportRecords(ctx context.Context, shopID string, fn func(ImportRecord) error) error {
	after := ""
	for {
		cs, err := s.store.SearchCustomers(ctx, shopID, CustomerQuery{}, after, MaxPageLimit)
		if err != nil {
			return err
		}
		for i := range cs {
			rec, err := s.exportRecord(ctx, &cs[i])
			if err != nil {
				return err
			}
			if err := fn(rec); err != nil {
				return err
			}
			after = cs[i].ID
		}
		if len(cs) < MaxPageLimit {
			return nil
		}
	}
}

func (s *Service) exportRecord(ctx context.Context, c *Customer) (ImportRecord, error) {
	rec := ImportRecord{
		ExternalID: c.ID, Email: c.Email, FirstName: c.FirstName, LastName: c.LastName, Phone: c.Phone,
		CompanyName: c.CompanyName, Gender: c.Gender, DateOfBirth: c.DateOfBirth, PasswordHash: c.PasswordHash,
		CreatedAt: c.CreatedAt, AcceptsEmailMarketing: c.AcceptsEmailMarketing, Disabled: c.Status == StatusDisabled,
		Metadata: c.Metadata,
	}
	if c.EmailVerifiedAt != nil {
		rec.EmailVerified, rec.EmailVerifiedAt = true, *c.EmailVerifiedAt
	}
	ref, err := s.store.GetImportRef(ctx, c.ShopID, c.ID)
	switch {
	case err == nil:
		rec.ExternalID = ref.ExternalID
	case !errors.Is(err, ErrNotFound):
		return rec, err
	}
	after := ""
	for {
		as, err := s.store.ListAddresses(ctx, c.ShopID, c.ID, after, MaxPageLimit)
		if err != nil {
			return rec, err
		}
		for _, a := range as {
			rec.Addresses = append(rec.Addresses, ImportAddress{
				Label: a.Label, FirstName: a.FirstName, LastName: a.LastName, Company: a.Company,
				Address1: a.Address1, Address2: a.Address2, City: a.City, RegionCode: a.RegionCode,
				RegionName: a.RegionName, PostalCode: a.PostalCode, CountryCode: a.CountryCode, Phone: a.Phone,
				Metadata: a.Metadata, DefaultBilling: a.ID == c.DefaultBillingAddressID, DefaultShipping: a.ID == c.DefaultShippingAddressID,
			})
			after = a.ID
		}
		if len(as) < MaxPageLimit {
			break
		}
	}
	gs, err := s.store.CustomerGroups(ctx, c.ShopID, c.ID)
	if err != nil {
		return rec, err
	}
	for _, g := range gs {
		rec.Groups = append(rec.Groups, g.Name)
	}
	bs, err := s.store.CreditBalances(ctx, c.ShopID, c.ID)
	if err != nil {
		return rec, err
	}
	for _, b := range bs {
		if b.Amount > 0 {
			rec.Credit = append(rec.Credit, ImportCredit{Currency: b.Currency, Amount: b.Amount, Source: "clientele export"})
		}
	}
	return rec, nil
}
