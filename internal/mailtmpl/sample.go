package mailtmpl

import "github.com/clientele/clientele/internal/core"

// Sample returns the data a template is checked and previewed with. The
// store name holds markup characters so a preview shows they are escaped.
func Sample(kind string) core.MailVars {
	v := core.MailVars{ShopName: "Sample & Sons <Shop>", ValidFor: "1h0m0s"}
	switch kind {
	case "password_reset":
		v.Link = "https://shop.example/reset-password?token=SAMPLE-TOKEN"
	case "email_verification", "email_change_confirmation", "newsletter_verification":
		v.Link = "https://shop.example/confirm?token=SAMPLE-TOKEN"
	case "newsletter_unsubscribe":
		v.Link = "https://shop.example/unsubscribe?id=sub_SAMPLE&token=SAMPLE-TOKEN"
	case "order_claim":
		v.Link = "https://shop.example/claim?token=SAMPLE-TOKEN"
		v.Orders = []string{"R100001", "R100002"}
	case "email_change_notice":
		v.NewEmail = "n***@example.com"
	}
	// password_changed and welcome are notices: the store name is all they
	// show.
	return v
}

// Aliases are the short names `clientele mail preview --kind` accepts
// besides the kinds themselves.
var Aliases = map[string]string{
	"reset":               "password_reset",
	"password-changed":    "password_changed",
	"verification":        "email_verification",
	"email-change":        "email_change_confirmation",
	"email-change-notice": "email_change_notice",
	"order-claim":         "order_claim",
	"newsletter":          "newsletter_verification",
	"unsubscribe":         "newsletter_unsubscribe",
}

// KindOf resolves a kind or alias; ok is false for an unknown name.
func KindOf(name string) (kind string, ok bool) {
	if k, ok := Aliases[name]; ok {
		return k, true
	}
	_, ok = defaults[name]
	return name, ok
}
