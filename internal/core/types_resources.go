package core

import "time"

// Address is one entry of a customer's address book.
type Address struct {
	ID          string // "addr_" + ULID
	ShopID      string
	CustomerID  string
	Label       string // the customer's name for it ("Home")
	FirstName   string
	LastName    string
	Company     string
	Address1    string
	Address2    string
	City        string
	RegionCode  string // ISO 3166-2 subdivision code without the country ("NY"), if known
	RegionName  string // free-text region/state/province
	PostalCode  string
	CountryCode string // ISO 3166-1 alpha-2, upper case
	Phone       string
	Metadata    map[string]any
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// CustomerGroup is a store-defined group of customers (wholesale, VIP...).
type CustomerGroup struct {
	ID          string // "cgrp_" + ULID
	ShopID      string
	Name        string
	Description string
	Metadata    map[string]any
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Wishlist is a named list of products a customer keeps (SFCC product list).
type Wishlist struct {
	ID         string // "wl_" + ULID
	ShopID     string
	CustomerID string
	Name       string
	IsDefault  bool
	IsPrivate  bool
	// ShareToken lets anyone read a public list; empty while private.
	ShareToken string
	Metadata   map[string]any
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// WishlistItem is one product on a wishlist. Product and variant are the
// store's opaque references: Clientele has no catalogue.
type WishlistItem struct {
	ID         string // "wli_" + ULID
	ShopID     string
	WishlistID string
	ProductID  string
	VariantID  string
	Quantity   int
	Note       string
	Priority   int
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// CreditKind names a store-credit ledger movement.
type CreditKind string

// Store-credit and gift-card ledger kinds. Grants and refunds add, uses and
// expiries subtract, adjustments go either way.
const (
	CreditGrant      CreditKind = "grant"
	CreditUse        CreditKind = "use"
	CreditRefund     CreditKind = "refund"
	CreditExpire     CreditKind = "expire"
	CreditAdjustment CreditKind = "adjustment"
)

// CreditEntry is one append-only movement of a customer's store credit in
// one currency. Amount is signed, in minor units; the balance is the sum.
type CreditEntry struct {
	ID         string // "scr_" + ULID
	ShopID     string
	CustomerID string
	Currency   string // ISO 4217, upper case
	Amount     int64
	Kind       CreditKind
	Reason     string
	Author     string // who caused it: "admin:key_…", "order:R123", "import"...
	Reference  string // e.g. an order number
	CreatedAt  time.Time
}

// Balance is a sum of ledger entries in one currency.
type Balance struct {
	Currency string
	Amount   int64
}

// GiftCard is a prepaid card. Only the SHA-256 of its code is stored.
type GiftCard struct {
	ID         string // "gc_" + ULID
	ShopID     string
	CodeHash   []byte
	Last4      string
	Currency   string
	Initial    int64  // minor units
	CustomerID string // assigned owner, empty until assigned or redeemed
	ExpiresAt  *time.Time
	DisabledAt *time.Time
	RedeemedAt *time.Time // when a customer redeemed it into their account
	Metadata   map[string]any
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// GiftCardEntry is one append-only movement of a gift card's balance.
type GiftCardEntry struct {
	ID         string // "gce_" + ULID
	ShopID     string
	GiftCardID string
	Amount     int64
	Kind       CreditKind
	Reason     string
	Author     string
	Reference  string
	CreatedAt  time.Time
}

// PaymentMethod is a saved payment method: the payment provider's
// reference and display details, never a card number or CVC.
type PaymentMethod struct {
	ID               string // "pm_" + ULID
	ShopID           string
	CustomerID       string
	Provider         string // "stripe", "adyen", ...
	ProviderRef      string // the provider's token/reference
	Type             string // card, paypal, klarna, ...
	Brand            string // visa, mastercard, ...
	Last4            string
	ExpMonth         int
	ExpYear          int
	HolderName       string
	BillingAddressID string
	IsDefault        bool
	Metadata         map[string]any
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Order is the store's order as reported by its order system, kept for
// order history and guest-order claiming. Amounts are minor units.
type Order struct {
	ID                string // "ord_" + ULID
	ShopID            string
	Number            string // the store's order number, unique per store
	CustomerID        string // empty for a guest order not yet claimed
	Email             string
	EmailNormalized   string
	State             string // placed, completed, canceled, ...
	PaymentStatus     string
	FulfillmentStatus string
	Currency          string
	Subtotal          int64
	ShippingTotal     int64
	TaxTotal          int64
	DiscountTotal     int64
	Total             int64
	ItemCount         int
	LineItems         []LineItem
	BillingAddress    *Address // snapshot; ids empty
	ShippingAddress   *Address // snapshot; ids empty
	Metadata          map[string]any
	PlacedAt          time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// LineItem is a summary line of an order.
type LineItem struct {
	ID        string
	ProductID string
	VariantID string
	SKU       string
	Name      string
	Quantity  int
	UnitPrice int64
	Total     int64
	ImageURL  string
}

// VerificationPurpose tells what an e-mail token proves.
type VerificationPurpose string

// E-mail token purposes.
const (
	PurposeVerifyEmail VerificationPurpose = "verify_email" // the account's e-mail is the customer's
	PurposeChangeEmail VerificationPurpose = "change_email" // move the account to Email
	PurposeClaimOrders VerificationPurpose = "claim_orders" // link guest orders (Subject) to the customer
)

// EmailToken is a single-use token sent to an address (stored hashed).
type EmailToken struct {
	ID         string // "etk_" + ULID
	ShopID     string
	CustomerID string
	Purpose    VerificationPurpose
	Email      string // the address the token was sent to
	Subject    string // purpose-specific (e.g. comma-separated order ids)
	Hash       []byte
	CreatedAt  time.Time
	ExpiresAt  time.Time
	UsedAt     *time.Time
}

// Event is an outbox entry written in the same transaction as the change it
// describes, for at-least-once delivery to webhooks later.
type Event struct {
	ID        string // "evt_" + ULID
	ShopID    string
	Type      string // customer.created, address.created, ...
	SubjectID string // the id of the thing the event is about
	Data      map[string]any
	CreatedAt time.Time
}

// Page asks for one page of a list: items after the opaque cursor.
type Page struct {
	Limit  int    // 1..100; 0 means 20
	Cursor string // from the previous page's Next; empty for the first page
}

// CustomerQuery filters the admin customer search.
type CustomerQuery struct {
	EmailPrefix string // normalised e-mail prefix
	Name        string // case-insensitive substring of first or last name
	Status      CustomerStatus
	GroupID     string
}
