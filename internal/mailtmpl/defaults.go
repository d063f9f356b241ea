package mailtmpl

// defaultTemplate is the built-in look of one kind. body is the HTML
// between the shared header and footer (see layout.go).
type defaultTemplate struct {
	subject, text, body string
}

// defaults hold one entry per core.MailKinds. Wording follows the plain
// texts core composes, so a store without templates reads the same in
// both parts.
var defaults = map[string]defaultTemplate{
	"password_reset": {
		subject: `Reset your password for {{.ShopName}}`,
		text: `Someone asked to reset the password of your {{.ShopName}} account.

To choose a new password, open this link within {{.ValidFor}}:

{{.Link}}

If it was not you, ignore this message: your password stays as it is.
`,
		body: `<p style="margin:0 0 16px">Someone asked to reset the password of your {{.ShopName}} account.</p>
<p style="margin:0 0 24px">To choose a new password, use this button within {{.ValidFor}}:</p>
{{template "button" .Link}}Reset password{{template "buttonEnd"}}
{{template "fallback" .Link}}
<p style="margin:24px 0 0;color:#555555">If it was not you, ignore this message: your password stays as it is.</p>`,
	},
	"password_changed": {
		subject: `Your {{.ShopName}} password was changed`,
		text: `The password of your {{.ShopName}} account was just changed, and every other device was signed out.

If you did not do this, reset your password now and contact the store.
`,
		body: `<p style="margin:0 0 16px">The password of your {{.ShopName}} account was just changed, and every other device was signed out.</p>
<p style="margin:0;color:#555555">If you did not do this, reset your password now and contact the store.</p>`,
	},
	"email_verification": {
		subject: `Confirm your e-mail address for {{.ShopName}}`,
		text: `Please confirm that this is the e-mail address of your {{.ShopName}} account.

Open this link within {{.ValidFor}}:

{{.Link}}

If you did not create an account, ignore this message.
`,
		body: `<p style="margin:0 0 24px">Please confirm that this is the e-mail address of your {{.ShopName}} account within {{.ValidFor}}.</p>
{{template "button" .Link}}Confirm e-mail address{{template "buttonEnd"}}
{{template "fallback" .Link}}
<p style="margin:24px 0 0;color:#555555">If you did not create an account, ignore this message.</p>`,
	},
	"email_change_confirmation": {
		subject: `Confirm your new e-mail address for {{.ShopName}}`,
		text: `You asked to use this address for your {{.ShopName}} account.

To confirm, open this link within {{.ValidFor}}:

{{.Link}}

Until then your account keeps its current address. If it was not you, ignore this message.
`,
		body: `<p style="margin:0 0 16px">You asked to use this address for your {{.ShopName}} account.</p>
<p style="margin:0 0 24px">To confirm, use this button within {{.ValidFor}}:</p>
{{template "button" .Link}}Confirm new address{{template "buttonEnd"}}
{{template "fallback" .Link}}
<p style="margin:24px 0 0;color:#555555">Until then your account keeps its current address. If it was not you, ignore this message.</p>`,
	},
	"email_change_notice": {
		subject: `A change of your {{.ShopName}} e-mail address was requested`,
		text: `Someone signed in to your {{.ShopName}} account asked to change its e-mail address to {{.NewEmail}}.

Nothing changes unless the new address confirms it. If it was not you, change your password now and contact the store.
`,
		body: `<p style="margin:0 0 16px">Someone signed in to your {{.ShopName}} account asked to change its e-mail address to <strong>{{.NewEmail}}</strong>.</p>
<p style="margin:0;color:#555555">Nothing changes unless the new address confirms it. If it was not you, change your password now and contact the store.</p>`,
	},
	"order_claim": {
		subject: `Add your {{.ShopName}} orders to an account`,
		text: `Someone signed in to a {{.ShopName}} account asked to add these orders, placed with this address, to their account:

  {{join .Orders ", "}}

If that was you, open this link within {{.ValidFor}} while signed in to that account:

{{.Link}}

If it was not you, ignore this message: the orders stay as they are.
`,
		body: `<p style="margin:0 0 16px">Someone signed in to a {{.ShopName}} account asked to add these orders, placed with this address, to their account:</p>
<ul style="margin:0 0 16px;padding-left:20px">{{range .Orders}}<li>{{.}}</li>{{end}}</ul>
<p style="margin:0 0 24px">If that was you, use this button within {{.ValidFor}} while signed in to that account:</p>
{{template "button" .Link}}Add the orders{{template "buttonEnd"}}
{{template "fallback" .Link}}
<p style="margin:24px 0 0;color:#555555">If it was not you, ignore this message: the orders stay as they are.</p>`,
	},
	"newsletter_verification": {
		subject: `Confirm your subscription to {{.ShopName}}`,
		text: `Please confirm that you want to receive the {{.ShopName}} newsletter at this address.

Open this link within {{.ValidFor}}:

{{.Link}}

If you did not ask for it, ignore this message: you will not be subscribed.
`,
		body: `<p style="margin:0 0 24px">Please confirm within {{.ValidFor}} that you want to receive the {{.ShopName}} newsletter at this address.</p>
{{template "button" .Link}}Confirm subscription{{template "buttonEnd"}}
{{template "fallback" .Link}}
<p style="margin:24px 0 0;color:#555555">If you did not ask for it, ignore this message: you will not be subscribed.</p>`,
	},
	"newsletter_unsubscribe": {
		subject: `Unsubscribe from the {{.ShopName}} newsletter`,
		text: `To stop receiving the {{.ShopName}} newsletter at this address, open this link within {{.ValidFor}}:

{{.Link}}

If you did not ask for it, ignore this message: nothing changes.
`,
		body: `<p style="margin:0 0 24px">To stop receiving the {{.ShopName}} newsletter at this address, use this button within {{.ValidFor}}:</p>
{{template "button" .Link}}Unsubscribe{{template "buttonEnd"}}
{{template "fallback" .Link}}
<p style="margin:24px 0 0;color:#555555">If you did not ask for it, ignore this message: nothing changes.</p>`,
	},
	"welcome": {
		subject: `Welcome to {{.ShopName}}`,
		text: `Welcome to {{.ShopName}}! Your account is ready: sign in with this e-mail address and the password you chose.

If you did not create this account, contact the store.
`,
		body: `<p style="margin:0 0 16px">Welcome to {{.ShopName}}! Your account is ready: sign in with this e-mail address and the password you chose.</p>
<p style="margin:0;color:#555555">If you did not create this account, contact the store.</p>`,
	},
}
