package core

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Group events. customer.groups_changed is written when an admin changes
// a customer's memberships; deleting a group writes group.deleted only,
// which implies its members left it.
const (
	EventGroupCreated          = "group.created"
	EventGroupUpdated          = "group.updated"
	EventGroupDeleted          = "group.deleted"
	EventCustomerGroupsChanged = "customer.groups_changed"
)

// CodeGroupNameTaken is the 409 of a group name the store already has.
// It is part of the contract: never rename it.
const CodeGroupNameTaken = "group_name_taken"

// Group bounds.
const (
	maxGroupName        = 100  // characters
	maxGroupDescription = 1000 // characters
	// maxCustomerGroups bounds one customer's memberships (and so one
	// request's list of ids).
	maxCustomerGroups = 100
	maxGroupIDLength  = 100
)

// GroupInput is a new customer group. Name is required and unique per store.
type GroupInput struct {
	Name        string
	Description string
	// Metadata is the store's own data, e.g. the price list a group maps to.
	Metadata map[string]any
}

// GroupPatch is a partial update of a group; nil means "leave as is".
type GroupPatch struct {
	Name        *string
	Description *string
	Metadata    *map[string]any // replaces the whole object
}

// groupName is the stored form of a name: trimmed and NFC, so two
// spellings that look the same are the same name for the unique index.
func groupName(s string) string { return norm.NFC.String(strings.TrimSpace(s)) }

func (p GroupPatch) validate() error {
	var f fields
	if p.Name != nil {
		f.required("name", groupName(*p.Name), maxGroupName)
	}
	if p.Description != nil {
		// Unlike one-line fields, a description may span lines.
		d := strings.TrimSpace(*p.Description)
		multiline := func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }
		if !utf8.ValidString(d) || strings.ContainsFunc(d, multiline) {
			f.add("description", FieldInvalid, "description contains invalid characters")
		} else if utf8.RuneCountInString(d) > maxGroupDescription {
			f.add("description", FieldTooLong, "description is longer than "+strconv.Itoa(maxGroupDescription)+" characters")
		}
	}
	if p.Metadata != nil {
		f.metadata("metadata", *p.Metadata)
	}
	return f.err()
}

func (p GroupPatch) apply(g *CustomerGroup) {
	if p.Name != nil {
		g.Name = groupName(*p.Name)
	}
	if p.Description != nil {
		g.Description = strings.TrimSpace(*p.Description)
	}
	if p.Metadata != nil {
		g.Metadata = *p.Metadata
	}
}

// groupNameTaken turns the store's unique-name conflict into its code.
func groupNameTaken(err error) error {
	if errors.Is(err, ErrConflict) {
		return newErr(ErrConflict, CodeGroupNameTaken, "the store already has a group with this name")
	}
	return err
}

// CreateGroup adds a customer group to a store (admin API).
func (s *Service) CreateGroup(ctx context.Context, shopID string, in GroupInput) (*CustomerGroup, error) {
	p := GroupPatch{Name: &in.Name, Description: &in.Description}
	if in.Metadata != nil {
		p.Metadata = &in.Metadata
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	g := &CustomerGroup{ID: s.newID("cgrp"), ShopID: shopID, CreatedAt: now, UpdatedAt: now}
	p.apply(g)
	err := s.store.InTx(ctx, func(tx Store) error {
		if err := tx.CreateGroup(ctx, g); err != nil {
			return groupNameTaken(err)
		}
		return s.emit(ctx, tx, shopID, EventGroupCreated, g.ID, map[string]any{"name": g.Name})
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// Group returns one of the store's groups; another store's is ErrNotFound.
func (s *Service) Group(ctx context.Context, shopID, id string) (*CustomerGroup, error) {
	return s.store.GetGroup(ctx, shopID, id)
}

// Groups lists the store's groups, oldest first.
func (s *Service) Groups(ctx context.Context, shopID string, p Page) (PageOf[CustomerGroup], error) {
	return listPage(p, func(g CustomerGroup) string { return g.ID }, func(after string, limit int) ([]CustomerGroup, error) {
		return s.store.ListGroups(ctx, shopID, after, limit)
	})
}

// UpdateGroup changes a group's name, description or metadata.
func (s *Service) UpdateGroup(ctx context.Context, shopID, id string, u GroupPatch) (*CustomerGroup, error) {
	if err := u.validate(); err != nil {
		return nil, err
	}
	var g *CustomerGroup
	err := s.store.InTx(ctx, func(tx Store) error {
		var err error
		if g, err = tx.GetGroup(ctx, shopID, id); err != nil {
			return err
		}
		u.apply(g)
		g.UpdatedAt = s.now()
		if err := tx.UpdateGroup(ctx, g); err != nil {
			return groupNameTaken(err)
		}
		return s.emit(ctx, tx, shopID, EventGroupUpdated, g.ID, map[string]any{"name": g.Name})
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// DeleteGroup removes a group; its customers leave it.
func (s *Service) DeleteGroup(ctx context.Context, shopID, id string) error {
	return s.store.InTx(ctx, func(tx Store) error {
		if err := tx.DeleteGroup(ctx, shopID, id); err != nil {
			return err
		}
		return s.emit(ctx, tx, shopID, EventGroupDeleted, id, nil)
	})
}

// CustomerGroups lists the groups a customer of the store is in, by id.
// An unknown customer, or another store's, is ErrNotFound.
func (s *Service) CustomerGroups(ctx context.Context, shopID, customerID string) ([]CustomerGroup, error) {
	if _, err := s.store.GetCustomer(ctx, shopID, customerID); err != nil {
		return nil, err
	}
	return s.store.CustomerGroups(ctx, shopID, customerID)
}

// SetCustomerGroups makes the customer a member of exactly the groups ids
// (duplicates count once; empty leaves every group) and returns them. An
// unknown customer is ErrNotFound; an id that is not one of the store's
// groups is a 422 on group_ids, and nothing changes.
func (s *Service) SetCustomerGroups(ctx context.Context, shopID, customerID string, ids []string) ([]CustomerGroup, error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	if len(ids) > maxCustomerGroups {
		return nil, fieldErr("group_ids", FieldTooLong, "a customer may be in at most "+strconv.Itoa(maxCustomerGroups)+" groups")
	}
	for _, id := range ids {
		if id == "" || len(id) > maxGroupIDLength {
			return nil, fieldErr("group_ids", FieldInvalid, "group_ids holds an empty or overlong id")
		}
	}
	var after []CustomerGroup
	err := s.store.InTx(ctx, func(tx Store) error {
		if _, err := tx.GetCustomer(ctx, shopID, customerID); err != nil {
			return err
		}
		before, err := tx.CustomerGroups(ctx, shopID, customerID)
		if err != nil {
			return err
		}
		if err := tx.SetCustomerGroups(ctx, shopID, customerID, ids); err != nil {
			if errors.Is(err, ErrNotFound) {
				// The customer was found above, so a group was not.
				return fieldErr("group_ids", FieldInvalid, "group_ids names a group this store does not have")
			}
			return err
		}
		if after, err = tx.CustomerGroups(ctx, shopID, customerID); err != nil {
			return err
		}
		added, removed := groupDiff(before, after)
		if len(added) == 0 && len(removed) == 0 {
			return nil // nothing changed, nothing to tell
		}
		return s.emit(ctx, tx, shopID, EventCustomerGroupsChanged, customerID, map[string]any{
			"group_ids": groupIDs(after), "added": added, "removed": removed,
		})
	})
	if err != nil {
		return nil, err
	}
	return after, nil
}

// groupIDs lists the ids of gs (never nil, so event data holds [] not null).
func groupIDs(gs []CustomerGroup) []string {
	ids := make([]string, 0, len(gs))
	for _, g := range gs {
		ids = append(ids, g.ID)
	}
	return ids
}

// groupDiff returns the ids in after but not before, and the reverse.
func groupDiff(before, after []CustomerGroup) (added, removed []string) {
	was, is := groupIDs(before), groupIDs(after)
	added, removed = []string{}, []string{}
	for _, id := range is {
		if !slices.Contains(was, id) {
			added = append(added, id)
		}
	}
	for _, id := range was {
		if !slices.Contains(is, id) {
			removed = append(removed, id)
		}
	}
	return added, removed
}
