package spree

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/clientele/clientele/internal/httpx"
)

// maxBody is the request body limit under /spree.
const maxBody = httpx.DefaultMaxBody

// writeJSON writes v with Spree's content type.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err = w.Write(b)
	return err
}

// noContent answers 204 without a body.
func noContent(w http.ResponseWriter) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// decode reads a JSON body leniently: Spree ignores unknown fields, so do
// we (they are never applied: dst names only what a route accepts). An
// absent or empty body means {}.
func decode(w http.ResponseWriter, r *http.Request, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return &httpx.Error{Status: http.StatusUnsupportedMediaType, Code: httpx.CodeUnsupportedMedia, Message: "send the body as application/json"}
		}
	}
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(dst); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			return newErr(http.StatusBadRequest, codeInvalidRequest, "Parameter "+typ.Field+" has the wrong type")
		}
		return newErr(http.StatusBadRequest, codeInvalidRequest, "The request body is not valid JSON")
	}
	if _, err := dec.Token(); err != io.EOF {
		return newErr(http.StatusBadRequest, codeInvalidRequest, "The request body is not valid JSON")
	}
	return nil
}

// listMeta is Spree's (pagy) pagination meta: all nine keys, always.
type listMeta struct {
	Page     int  `json:"page"`
	Limit    int  `json:"limit"`
	Count    int  `json:"count"`
	Pages    int  `json:"pages"`
	From     int  `json:"from"`
	To       int  `json:"to"`
	In       int  `json:"in"`
	Previous *int `json:"previous"`
	Next     *int `json:"next"`
}

// list is a paginated answer.
type list[T any] struct {
	Data []T      `json:"data"`
	Meta listMeta `json:"meta"`
}

// AuthTokens is the answer of register, login, refresh and reset.
type AuthTokens struct {
	Token        string   `json:"token"`
	RefreshToken string   `json:"refresh_token"`
	User         Customer `json:"user"`
}

// Customer is Spree's V3 customer.
type Customer struct {
	ID                               string                `json:"id"`
	Email                            string                `json:"email"`
	FirstName                        *string               `json:"first_name"`
	LastName                         *string               `json:"last_name"`
	Phone                            *string               `json:"phone"`
	AcceptsEmailMarketing            bool                  `json:"accepts_email_marketing"`
	FullName                         string                `json:"full_name"`
	AvailableStoreCreditTotal        string                `json:"available_store_credit_total"`
	DisplayAvailableStoreCreditTotal string                `json:"display_available_store_credit_total"`
	Addresses                        []Address             `json:"addresses"`
	DefaultBillingAddress            *Address              `json:"default_billing_address"`
	DefaultShippingAddress           *Address              `json:"default_shipping_address"`
	NewsletterSubscriber             *NewsletterSubscriber `json:"newsletter_subscriber"`
	CustomerGroups                   []CustomerGroup       `json:"customer_groups"`
}

// CustomerGroup is a group the customer belongs to.
type CustomerGroup struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Address is Spree's V3 address.
type Address struct {
	ID                string  `json:"id"`
	FirstName         *string `json:"first_name"`
	LastName          *string `json:"last_name"`
	FullName          string  `json:"full_name"`
	Address1          *string `json:"address1"`
	Address2          *string `json:"address2"`
	PostalCode        *string `json:"postal_code"`
	City              *string `json:"city"`
	Phone             *string `json:"phone"`
	Company           *string `json:"company"`
	CountryName       string  `json:"country_name"`
	CountryISO        string  `json:"country_iso"`
	StateText         *string `json:"state_text"`
	StateAbbr         *string `json:"state_abbr"`
	StateName         *string `json:"state_name"`
	QuickCheckout     bool    `json:"quick_checkout"`
	IsDefaultBilling  bool    `json:"is_default_billing"`
	IsDefaultShipping bool    `json:"is_default_shipping"`
}

// registerRequest is customers.create's body.
type registerRequest struct {
	Email                 string         `json:"email"`
	Password              string         `json:"password"`
	PasswordConfirmation  *string        `json:"password_confirmation"`
	FirstName             string         `json:"first_name"`
	LastName              string         `json:"last_name"`
	Phone                 string         `json:"phone"`
	AcceptsEmailMarketing bool           `json:"accepts_email_marketing"`
	Metadata              map[string]any `json:"metadata"`
}

type loginRequest struct {
	Provider string `json:"provider"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

type resetRequest struct {
	Email       string `json:"email"`
	RedirectURL string `json:"redirect_url"`
}

type resetCompleteRequest struct {
	Password             string  `json:"password"`
	PasswordConfirmation *string `json:"password_confirmation"`
}

type customerUpdateRequest struct {
	FirstName             *string         `json:"first_name"`
	LastName              *string         `json:"last_name"`
	Phone                 *string         `json:"phone"`
	AcceptsEmailMarketing *bool           `json:"accepts_email_marketing"`
	Metadata              *map[string]any `json:"metadata"`
	Email                 *string         `json:"email"`
	Password              *string         `json:"password"`
	PasswordConfirmation  *string         `json:"password_confirmation"`
	CurrentPassword       *string         `json:"current_password"`
}

type addressRequest struct {
	FirstName         *string `json:"first_name"`
	LastName          *string `json:"last_name"`
	Address1          *string `json:"address1"`
	Address2          *string `json:"address2"`
	City              *string `json:"city"`
	PostalCode        *string `json:"postal_code"`
	Phone             *string `json:"phone"`
	Company           *string `json:"company"`
	CountryISO        *string `json:"country_iso"`
	StateAbbr         *string `json:"state_abbr"`
	StateName         *string `json:"state_name"`
	QuickCheckout     *bool   `json:"quick_checkout"`
	IsDefaultBilling  *bool   `json:"is_default_billing"`
	IsDefaultShipping *bool   `json:"is_default_shipping"`
}
