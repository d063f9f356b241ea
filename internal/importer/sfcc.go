package importer

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/clientele/clientele/internal/core"
)

// sfccCustomer is a <customer> of Salesforce B2C Commerce's customer
// export (Business Manager: Customers > Import & Export, schema
// customer.xsd). The export carries no password hashes: customers come in
// passwordless and set a password through the reset flow.
type sfccCustomer struct {
	CustomerNo  string `xml:"customer-no,attr"`
	Credentials struct {
		Login   string `xml:"login"`
		Enabled string `xml:"enabled-flag"`
	} `xml:"credentials"`
	Profile struct {
		Salutation   string     `xml:"salutation"`
		Title        string     `xml:"title"`
		FirstName    string     `xml:"first-name"`
		SecondName   string     `xml:"second-name"`
		LastName     string     `xml:"last-name"`
		Suffix       string     `xml:"suffix"`
		CompanyName  string     `xml:"company-name"`
		JobTitle     string     `xml:"job-title"`
		Email        string     `xml:"email"`
		PhoneHome    string     `xml:"phone-home"`
		PhoneBiz     string     `xml:"phone-business"`
		PhoneMobile  string     `xml:"phone-mobile"`
		Fax          string     `xml:"fax"`
		Birthday     string     `xml:"birthday"`
		Gender       string     `xml:"gender"`
		CreationDate string     `xml:"creation-date"`
		Locale       string     `xml:"preferred-locale"`
		Custom       []sfccAttr `xml:"custom-attributes>custom-attribute"`
	} `xml:"profile"`
	Addresses []struct {
		ID         string `xml:"address-id,attr"`
		Preferred  string `xml:"preferred,attr"`
		FirstName  string `xml:"first-name"`
		LastName   string `xml:"last-name"`
		Company    string `xml:"company-name"`
		Address1   string `xml:"address1"`
		Address2   string `xml:"address2"`
		Suite      string `xml:"suite"`
		Postbox    string `xml:"postbox"`
		City       string `xml:"city"`
		PostalCode string `xml:"postal-code"`
		StateCode  string `xml:"state-code"`
		Country    string `xml:"country-code"`
		Phone      string `xml:"phone"`
	} `xml:"addresses>address"`
}

type sfccAttr struct {
	ID    string `xml:"attribute-id,attr"`
	Value string `xml:",chardata"`
}

// sfcc streams <customer> elements: one decoded at a time.
type sfcc struct {
	d *xml.Decoder
}

func newSFCC(r io.Reader) *sfcc { return &sfcc{d: xml.NewDecoder(r)} }

// Next decodes the next <customer>. A customer that does not decode is a
// RowError; broken XML around customers ends the file with an error,
// since a stream reader cannot find the next element in it.
func (s *sfcc) Next() (core.ImportRecord, error) {
	for {
		tok, err := s.d.Token()
		if errors.Is(err, io.EOF) {
			return core.ImportRecord{}, io.EOF
		}
		if err != nil {
			line, _ := s.d.InputPos()
			return core.ImportRecord{}, fmt.Errorf("customers.xml line %d: %v", line, err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok || start.Name.Local != "customer" {
			continue
		}
		line, _ := s.d.InputPos()
		var c sfccCustomer
		if err := s.d.DecodeElement(&c, &start); err != nil {
			return core.ImportRecord{}, &RowError{Line: line, Msg: "customer element: " + err.Error()}
		}
		rec, err := c.record()
		if err != nil {
			return core.ImportRecord{}, &RowError{Line: line, Msg: err.Error()}
		}
		rec.Line = line
		return rec, nil
	}
}

func (c *sfccCustomer) record() (core.ImportRecord, error) {
	p := c.Profile
	rec := core.ImportRecord{
		ExternalID: strings.TrimSpace(c.CustomerNo), Email: strings.TrimSpace(p.Email),
		FirstName: strings.TrimSpace(p.FirstName), LastName: strings.TrimSpace(p.LastName),
		CompanyName: strings.TrimSpace(p.CompanyName), DateOfBirth: strings.TrimSpace(p.Birthday),
		Disabled: strings.TrimSpace(c.Credentials.Enabled) == "false",
	}
	if rec.Email == "" {
		rec.Email = strings.TrimSpace(c.Credentials.Login)
	}
	rec.Phone = firstOf(p.PhoneMobile, p.PhoneHome, p.PhoneBiz)
	switch strings.TrimSpace(p.Gender) {
	case "1":
		rec.Gender = "male"
	case "2":
		rec.Gender = "female"
	}
	var err error
	if rec.CreatedAt, err = parseTime(p.CreationDate); err != nil {
		return rec, fmt.Errorf("creation-date: %v", err)
	}
	meta := map[string]any{}
	put := func(k, v string) {
		if v = strings.TrimSpace(v); v != "" {
			meta[k] = v
		}
	}
	put("sfcc_login", c.Credentials.Login)
	put("sfcc_salutation", p.Salutation)
	put("sfcc_title", p.Title)
	put("sfcc_second_name", p.SecondName)
	put("sfcc_suffix", p.Suffix)
	put("sfcc_job_title", p.JobTitle)
	put("sfcc_phone_home", p.PhoneHome)
	put("sfcc_phone_business", p.PhoneBiz)
	put("sfcc_fax", p.Fax)
	put("sfcc_preferred_locale", p.Locale)
	for _, a := range p.Custom {
		put("c_"+a.ID, a.Value)
	}
	if len(meta) > 0 {
		rec.Metadata = meta
	}
	for _, a := range c.Addresses {
		preferred := strings.TrimSpace(a.Preferred) == "true"
		am := map[string]any{}
		for k, v := range map[string]string{"sfcc_suite": a.Suite, "sfcc_postbox": a.Postbox} {
			if v = strings.TrimSpace(v); v != "" {
				am[k] = v
			}
		}
		rec.Addresses = append(rec.Addresses, core.ImportAddress{
			Label: a.ID, FirstName: a.FirstName, LastName: a.LastName, Company: a.Company,
			Address1: a.Address1, Address2: a.Address2, City: a.City, PostalCode: a.PostalCode,
			RegionCode: a.StateCode, CountryCode: a.Country, Phone: a.Phone,
			DefaultBilling: preferred, DefaultShipping: preferred, Metadata: emptyNil(am),
		})
	}
	return rec, nil
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
